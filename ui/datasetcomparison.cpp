#include "datasetcomparison.h"

#include "core/csvreader.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Phaseline {

namespace {

struct StatisticChoice
{
    const char *title;
    double PhaseStatistics::*value;
};
const StatisticChoice kChoices[] = {
    {"median", &PhaseStatistics::median},
    {"mean", &PhaseStatistics::mean},
    {"p90", &PhaseStatistics::p90},
    {"p99", &PhaseStatistics::p99},
};

const PhaseStatistics *recordedPhase(const StatisticsReport &report, const QString &name)
{
    for (const QVector<PhaseStatistics> *list : {&report.phases, &report.totals}) {
        for (const PhaseStatistics &stats : *list) {
            if (stats.name == name && stats.count > 0)
                return &stats;
        }
    }
    return nullptr;
}

} // namespace

DatasetComparison::DatasetComparison(QWidget *parent)
    : QWidget(parent), m_job([this](QVector<DatasetStatistics> statistics) { adopt(std::move(statistics)); })
{
    m_statistic = new QComboBox;
    for (const StatisticChoice &choice : kChoices)
        m_statistic->addItem(tr(choice.title));
    m_baseline = new QComboBox;
    m_baseline->setObjectName(QStringLiteral("baselineChoice"));
    m_note = new QLabel;
    m_note->setWordWrap(true);
    m_view = new QTableWidget;
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_view->setAlternatingRowColors(true);

    auto *controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Statistic:")));
    controls->addWidget(m_statistic);
    controls->addSpacing(12);
    controls->addWidget(new QLabel(tr("Compared with:")));
    controls->addWidget(m_baseline);
    controls->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_note);
    layout->addWidget(m_view, 1);

    connect(m_statistic, qOverload<int>(&QComboBox::currentIndexChanged), this, &DatasetComparison::rebuild);
    connect(m_baseline, qOverload<int>(&QComboBox::currentIndexChanged), this, &DatasetComparison::rebuild);
    rebuild();
}

DatasetComparison::~DatasetComparison() = default;

void DatasetComparison::setTable(std::shared_ptr<const RequestTable> table)
{
    m_job.discard(); // a computation for the previous table finishes on it, unseen
    m_table = table;
    m_statistics.clear();
    m_baseline->clear();
    if (table)
        m_job.start([table](const JobToken &) { return computeDatasetStatistics(*table); });
    rebuild();
}

void DatasetComparison::adopt(QVector<DatasetStatistics> statistics)
{
    m_statistics = std::move(statistics);
    const QSignalBlocker blocker(m_baseline);
    m_baseline->clear();
    for (const DatasetStatistics &dataset : m_statistics)
        m_baseline->addItem(dataset.name);
    rebuild();
    Q_EMIT updated();
}

void DatasetComparison::rebuild()
{
    m_view->clear();
    if (m_statistics.isEmpty()) {
        m_view->setRowCount(0);
        m_view->setColumnCount(0);
        m_note->setText(isUpdating() ? tr("Computing…")
                                     : tr("Open two or more inputs (files or directories) to compare them: each "
                                          "input is a dataset."));
        return;
    }
    const StatisticChoice &choice = kChoices[std::max(0, m_statistic->currentIndex())];
    const int baseline = std::max(0, m_baseline->currentIndex());
    m_note->setText(tr("%1 of each phase in ms; Δ is each dataset minus %2 (positive: slower).")
                        .arg(tr(choice.title), m_statistics[baseline].name));

    QStringList names, titles;
    if (m_table) {
        for (const QVector<PhaseDefinition> *list : {&m_table->phases().all(), &m_table->phases().totals()}) {
            for (const PhaseDefinition &phase : *list) {
                const bool recorded = std::any_of(m_statistics.begin(), m_statistics.end(), [&](const DatasetStatistics &d) {
                    return recordedPhase(d.report, phase.name) != nullptr;
                });
                if (recorded) {
                    names << phase.name;
                    titles << phase.title;
                }
            }
        }
    }
    const int datasets = m_statistics.size();
    QStringList headers{tr("Phase")};
    for (const DatasetStatistics &dataset : m_statistics)
        headers << tr("%1 (%2 req.)").arg(dataset.name).arg(dataset.report.requests);
    for (int d = 0; d < datasets; ++d) {
        if (d != baseline)
            headers << tr("Δ %1").arg(m_statistics[d].name) << tr("Δ%");
    }
    m_view->setColumnCount(headers.size());
    m_view->setHorizontalHeaderLabels(headers);
    m_view->setRowCount(names.size());
    auto cell = [](const QString &text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter) {
        auto *item = new QTableWidgetItem(text);
        item->setTextAlignment(alignment);
        return item;
    };
    for (int r = 0; r < names.size(); ++r) {
        QTableWidgetItem *phase = cell(titles[r], Qt::AlignLeft | Qt::AlignVCenter);
        phase->setToolTip(names[r]);
        m_view->setItem(r, 0, phase);
        const PhaseStatistics *base = recordedPhase(m_statistics[baseline].report, names[r]);
        int column = 1;
        for (const DatasetStatistics &dataset : m_statistics) {
            const PhaseStatistics *stats = recordedPhase(dataset.report, names[r]);
            m_view->setItem(r, column++, cell(stats ? QString::number(stats->*choice.value, 'f', 3) : QStringLiteral("–")));
        }
        for (int d = 0; d < datasets; ++d) {
            if (d == baseline)
                continue;
            const PhaseStatistics *stats = recordedPhase(m_statistics[d].report, names[r]);
            if (!stats || !base) {
                m_view->setItem(r, column++, cell(QStringLiteral("–")));
                m_view->setItem(r, column++, cell(QStringLiteral("–")));
                continue;
            }
            const double delta = stats->*choice.value - base->*choice.value;
            const double baseValue = base->*choice.value;
            QTableWidgetItem *absolute = cell(QString::asprintf("%+.3f", delta));
            QTableWidgetItem *relative =
                cell(baseValue != 0 ? QString::asprintf("%+.1f%%", 100.0 * delta / baseValue) : QStringLiteral("–"));
            const QColor tone = delta > 0 ? QColor(0xC0, 0x39, 0x2B) : delta < 0 ? QColor(0x1E, 0x84, 0x49) : QColor();
            if (tone.isValid()) {
                absolute->setForeground(tone);
                relative->setForeground(tone);
            }
            m_view->setItem(r, column++, absolute);
            m_view->setItem(r, column++, relative);
        }
    }
    m_view->resizeColumnsToContents();
}

QByteArray DatasetComparison::toCsv() const
{
    QString out;
    QStringList header;
    for (int c = 0; c < m_view->columnCount(); ++c)
        header << csvField(m_view->horizontalHeaderItem(c)->text(), CsvQuoting::Always);
    out += header.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < m_view->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m_view->columnCount(); ++c)
            row << csvField(m_view->item(r, c) ? m_view->item(r, c)->text() : QString(), CsvQuoting::Always);
        out += row.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out.toUtf8();
}

} // namespace Phaseline
