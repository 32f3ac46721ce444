#include "startpage.h"

#include <QAction>
#include <QCommandLinkButton>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace Phaseline {

namespace {

const QString kExampleName = QStringLiteral("trtllm_disagg_example.json");

QString formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

// "24.1 kB", or for a directory its file count and their total size (its direct files:
// what opening it reads).
QString describeInput(const QFileInfo &info)
{
    if (!info.exists())
        return QObject::tr("no longer there");
    if (!info.isDir())
        return formatSize(info.size());
    const QFileInfoList files = QDir(info.filePath()).entryInfoList(QDir::Files);
    qint64 bytes = 0;
    for (const QFileInfo &file : files)
        bytes += file.size();
    return files.size() == 1 ? QObject::tr("directory, 1 file, %1").arg(formatSize(bytes))
                             : QObject::tr("directory, %1 files, %2").arg(files.size()).arg(formatSize(bytes));
}

QLabel *heading(const QString &text)
{
    auto *label = new QLabel(text);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.2);
    label->setFont(font);
    return label;
}

} // namespace

StartPage::StartPage(const QList<QAction *> &actions, QWidget *parent) : QWidget(parent)
{
    auto *title = new QLabel(tr("Phaseline"));
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 2);
    title->setFont(titleFont);
    auto *subtitle = new QLabel(tr("Where did the time of every request to an LLM inference server go? "
                                   "Open a timing file, or drop one anywhere in this window."));
    subtitle->setWordWrap(true);

    auto *start = new QVBoxLayout;
    start->addWidget(heading(tr("Start")));
    for (QAction *action : actions) {
        auto *button = new QCommandLinkButton(QString(action->text()).remove(QLatin1Char('&')), action->statusTip());
        connect(button, &QAbstractButton::clicked, action, &QAction::trigger);
        start->addWidget(button);
    }
    const QString example = bundledExamplePath();
    if (!example.isEmpty()) {
        auto *button = new QCommandLinkButton(
            tr("Open the bundled example"),
            tr("A disaggregated TensorRT-LLM run (synthetic): two context and two generation servers, "
               "a lost record, clock skew · %1").arg(formatSize(QFileInfo(example).size())));
        button->setObjectName(QStringLiteral("exampleButton"));
        button->setToolTip(example);
        connect(button, &QAbstractButton::clicked, this, [this, example] { Q_EMIT openRequested({example}); });
        start->addWidget(button);
    }
    start->addStretch(1);

    auto *recentPane = new QWidget;
    m_recentLayout = new QVBoxLayout(recentPane);
    m_recentLayout->setContentsMargins(0, 0, 0, 0);
    auto *recentScroll = new QScrollArea;
    recentScroll->setWidget(recentPane);
    recentScroll->setWidgetResizable(true);
    recentScroll->setFrameShape(QFrame::NoFrame);
    auto *recent = new QVBoxLayout;
    recent->addWidget(heading(tr("Recent")));
    recent->addWidget(recentScroll, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(start, 1);
    columns->addSpacing(24);
    columns->addLayout(recent, 1);

    auto *content = new QWidget;
    content->setMaximumWidth(1100);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(title);
    contentLayout->addWidget(subtitle);
    contentLayout->addSpacing(12);
    contentLayout->addLayout(columns, 1);

    auto *outer = new QHBoxLayout(this);
    outer->setContentsMargins(24, 16, 24, 16);
    outer->addStretch(0);
    outer->addWidget(content, 1);
    outer->addStretch(0);
    setRecent({});
}

void StartPage::setRecent(const QStringList &paths)
{
    while (QLayoutItem *item = m_recentLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const QString &path : paths) {
        const QFileInfo info(path);
        auto *button = new QCommandLinkButton(info.fileName(), tr("%1 · in %2").arg(describeInput(info), info.absolutePath()));
        button->setObjectName(QStringLiteral("recentEntry"));
        button->setToolTip(path);
        button->setEnabled(info.exists());
        connect(button, &QAbstractButton::clicked, this, [this, path] { Q_EMIT openRequested({path}); });
        m_recentLayout->addWidget(button);
    }
    if (paths.isEmpty()) {
        auto *none = new QLabel(tr("Files you open will be listed here."));
        none->setEnabled(false);
        m_recentLayout->addWidget(none);
    }
    m_recentLayout->addStretch(1);
}

QString StartPage::bundledExamplePath()
{
    const QString installed = QDir(QCoreApplication::applicationDirPath())
                                  .filePath(QStringLiteral("../share/phaseline/examples/") + kExampleName);
    if (QFileInfo::exists(installed))
        return QFileInfo(installed).canonicalFilePath();
    const QString shared = QStandardPaths::locate(QStandardPaths::GenericDataLocation,
                                                  QStringLiteral("phaseline/examples/") + kExampleName);
    if (!shared.isEmpty())
        return shared;
    const QString source = QStringLiteral(PHASELINE_SOURCE_EXAMPLES_DIR "/") + kExampleName;
    return QFileInfo::exists(source) ? source : QString();
}

} // namespace Phaseline
