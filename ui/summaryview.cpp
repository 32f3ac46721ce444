#include "summaryview.h"

#include "summaryformat.h"

#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Phaseline {

SummaryView::SummaryView(QWidget *parent) : QWidget(parent)
{
    m_heading = new QLabel;
    m_heading->setWordWrap(true);
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("summaryList"));
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("summaryTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->setAlternatingRowColors(true);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(m_list);
    splitter->addWidget(m_table);
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
        auto *item = new QListWidgetItem(summary.title(), m_list);
        item->setToolTip(summary.source);
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
    if (index < 0 || index >= m_summaries.size())
        return;
    const RunSummary &summary = m_summaries[index];
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
