#include "summaryview.h"

#include "output/summaryformat.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Phaseline {

namespace {

QString toolAndFile(const RunSummary &summary)
{
    return summary.tool + QStringLiteral(" \u00b7 ") + QFileInfo(summary.source).fileName();
}

} // namespace

SummaryView::SummaryView(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel;
    m_heading->setWordWrap(true);
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("summaryList"));
    m_list->setWordWrap(true);
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("summaryTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6); // more metrics in view

    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("summaryCaption"));
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *tablePage = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_caption);
    tableLayout->addWidget(m_table, 1);
    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_list);
    splitter->addWidget(tablePage);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({260, 800});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_heading);
    layout->addWidget(splitter, 1);
    connect(m_list, &QListWidget::currentRowChanged, this, &SummaryView::showSummary);
}

void SummaryView::setSummaries(const QVector<RunSummary> &summaries)
{
    m_summaries = summaries;
    m_heading->setText(tr("%n summary file(s) or run(s): aggregate statistics as the benchmark tool reported them, "
                          "not recomputed by Phaseline and not requests.",
                          nullptr, int(summaries.size())));
    m_list->clear();
    for (const RunSummary &summary : summaries) {
        // Runs of one file share tool and file (the caption over the table names them): the run names it.
        auto *item = new QListWidgetItem(summary.runLabel.isEmpty() ? toolAndFile(summary) : summary.runLabel, m_list);
        item->setToolTip(toolAndFile(summary) + QLatin1Char('\n') + summary.source);
    }
    // One summary needs no list to choose from.
    m_list->setVisible(summaries.size() > 1);
    if (summaries.isEmpty())
        showSummary(-1);
    else
        m_list->setCurrentRow(0);
}

void SummaryView::showSummary(int index)
{
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    m_caption->clear();
    if (index < 0 || index >= m_summaries.size())
        return;
    const RunSummary &summary = m_summaries[index];
    m_caption->setText(tr("<b>%1</b> summary of %2%3")
                           .arg(summary.tool.toHtmlEscaped(), summary.source.toHtmlEscaped(),
                                summary.runLabel.isEmpty() ? QString() : QStringLiteral(" \u2014 ") + summary.runLabel.toHtmlEscaped()));
    // The statistics any metric has, in the usual order: averages, extremes, percentiles, spread.
    QStringList statistics;
    for (const SummaryMetric &metric : summary.metrics) {
        for (const SummaryStatistic &statistic : metric.statistics) {
            if (!statistics.contains(statistic.name))
                statistics << statistic.name;
        }
    }
    std::stable_sort(statistics.begin(), statistics.end(),
                     [](const QString &a, const QString &b) { return statisticOrder(a) < statisticOrder(b); });
    m_table->setColumnCount(2 + int(statistics.size()));
    m_table->setHorizontalHeaderLabels(QStringList{tr("Metric"), tr("Unit")} + statistics);
    m_table->setRowCount(int(summary.metrics.size()));
    for (int row = 0; row < summary.metrics.size(); ++row) {
        const SummaryMetric &metric = summary.metrics[row];
        m_table->setItem(row, 0, new QTableWidgetItem(metric.name));
        m_table->setItem(row, 1, new QTableWidgetItem(metric.unit));
        for (const SummaryStatistic &statistic : metric.statistics) {
            // Seven significant digits fit a column; the tool's exact number is in the tooltip.
            auto *cell = new QTableWidgetItem(QString::number(statistic.value, 'g', 7));
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            cell->setToolTip(tr("%1 %2 of %3, as %4 reported it").arg(summaryNumber(statistic.value), metric.unit,
                                                                       metric.name, summary.tool));
            m_table->setItem(row, 2 + int(statistics.indexOf(statistic.name)), cell);
        }
    }
    m_table->resizeColumnsToContents();
}

} // namespace Phaseline
