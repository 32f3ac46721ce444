#include "distributionsview.h"

#include "output/statisticsformat.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

// Seconds read as milliseconds like everywhere else in the window; other units as given.
double scaleOf(const HistogramDistribution &histogram)
{
    return histogram.unit == QLatin1String("s") ? 1e3 : 1;
}

QString unitText(const HistogramDistribution &histogram)
{
    if (histogram.unit == QLatin1String("s"))
        return QStringLiteral("ms");
    return histogram.unit.isEmpty() ? QStringLiteral("count") : histogram.unit;
}

QString number(double value)
{
    return QString::number(value, 'g', 6);
}

// Counts read as integers (exposition writes them as floats, even 7.400757e+06).
QString countText(double count)
{
    return std::floor(count) == count && count < 1e15 ? QString::number(count, 'f', 0) : number(count);
}

QString quantileText(const HistogramDistribution &histogram, double q, QString *toolTip)
{
    const QuantileEstimate estimate = estimateQuantile(histogram, q);
    const double scale = scaleOf(histogram);
    if (!estimate.valid)
        return QStringLiteral("-");
    if (estimate.aboveLastBound()) {
        *toolTip = QObject::tr("Above the last finite bucket bound %1 %2: only a lower limit is known")
                       .arg(number(estimate.lower * scale), unitText(histogram));
        return QStringLiteral("\u2265 %1").arg(number(estimate.lower * scale));
    }
    *toolTip = QObject::tr("Linear interpolation inside the bucket (%1, %2] %3")
                   .arg(number(estimate.lower * scale), number(estimate.upper * scale), unitText(histogram));
    return QStringLiteral("%1  (%2, %3]")
        .arg(number(estimate.value * scale), number(estimate.lower * scale), number(estimate.upper * scale));
}

QChart *newBucketChart()
{
    auto *chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 8, 4));
    return chart;
}

} // namespace

// The chart is handed to the view's constructor: QChartView() would make a default chart that
// setChart() releases without deleting.
DistributionsView::DistributionsView(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel), m_table(new QTableWidget), m_chartView(new QChartView(newBucketChart()))
{
    m_summary->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("distributionsTable"));
    m_table->setColumnCount(9);
    m_table->setHorizontalHeaderLabels({tr("Metric"), tr("Unit"), tr("Count"), tr("Mean"), tr("p50 (bucket)"),
                                        tr("p90 (bucket)"), tr("p99 (bucket)"), tr("Engine"), tr("Labels")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true); // the labels: long, least telling

    m_chartView->setObjectName(QStringLiteral("bucketChart"));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(9 * m_chartView->fontMetrics().height());

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chartView);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({3000, 2000}); // proportions: the table's numbers need the room
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showBuckets(row); });
}

void DistributionsView::setDistributions(const QVector<HistogramDistribution> &distributions)
{
    m_distributions = distributions;
    const bool observed = std::any_of(distributions.begin(), distributions.end(),
                                      [](const HistogramDistribution &h) { return !h.isEmpty(); });
    m_summary->setText(
        tr("%1 server histograms (Prometheus): aggregate only, no per-request data. Mean = sum / count; quantiles "
           "are estimated by linear interpolation inside the bucket that holds them.%2")
            .arg(distributions.size())
            .arg(observed || distributions.isEmpty() ? QString() : tr(" No requests observed (every count is 0).")));
    m_table->clearContents();
    m_table->setRowCount(distributions.size());
    for (int row = 0; row < distributions.size(); ++row) {
        const HistogramDistribution &histogram = distributions[row];
        const double scale = scaleOf(histogram);
        QStringList cells{histogram.name, unitText(histogram), countText(histogram.count),
                          histogram.isEmpty() ? tr("no requests observed") : number(histogram.mean() * scale)};
        QStringList tips{histogram.metric + QLatin1Char('\n') + histogram.help, QString(), QString(),
                         tr("sum %1 / count %2").arg(number(histogram.sum), number(histogram.count))};
        for (const DistributionQuantile &quantile : kDistributionQuantiles) {
            QString tip;
            cells << quantileText(histogram, quantile.q, &tip);
            tips << tip;
        }
        cells << histogram.engine << histogram.labelText();
        tips << histogram.source << histogram.labelText();
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells[column]);
            item->setToolTip(tips[column]);
            if (column >= 2 && column <= 6)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(row, column, item);
        }
    }
    // The first metric with observations is the most telling start.
    int first = 0;
    while (first < distributions.size() && distributions[first].isEmpty())
        ++first;
    if (!distributions.isEmpty())
        m_table->setCurrentCell(first < distributions.size() ? first : 0, 0);
    else
        showBuckets(-1);
}

void DistributionsView::showBuckets(int row)
{
    QChart *chart = m_chartView->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    if (row < 0 || row >= m_distributions.size() || m_distributions[row].upperBounds.isEmpty()) {
        chart->setTitle(QString());
        return;
    }
    const HistogramDistribution &histogram = m_distributions[row];
    const double scale = scaleOf(histogram);
    chart->setTitle(histogram.isEmpty() ? tr("%1: no requests observed").arg(histogram.name)
                                        : tr("%1: observations per bucket").arg(histogram.name));
    auto *set = new QBarSet(histogram.name);
    QStringList categories;
    const QVector<double> counts = histogram.bucketCounts();
    // Empty buckets at either end say nothing and squeeze the labels: one empty bucket is
    // kept before the first filled one, so its lower limit shows.
    int first = 0, last = int(counts.size()) - 1;
    while (first < last && counts[first] == 0)
        ++first;
    while (last > first && counts[last] == 0)
        --last;
    first = std::max(0, first - 1);
    if (histogram.isEmpty()) {
        first = 0;
        last = int(counts.size()) - 1;
    }
    for (int i = first; i <= last; ++i) {
        *set << counts[i];
        const double bound = histogram.upperBounds[i];
        categories << (std::isinf(bound) ? QStringLiteral("+Inf") : QString::number(bound * scale, 'g', 12));
    }
    auto *series = new QBarSeries;
    series->append(set);
    chart->addSeries(series);
    auto *buckets = new QBarCategoryAxis;
    buckets->append(categories);
    buckets->setLabelsAngle(-90);
    auto *countAxis = new QValueAxis;
    countAxis->setLabelFormat(QStringLiteral("%g"));
    countAxis->setMin(0);
    countAxis->setMax(std::max(1.0, *std::max_element(counts.begin(), counts.end())));
    QString axisTitle = tr("bucket upper bound (%1)").arg(unitText(histogram));
    if (first > 0 || last < counts.size() - 1)
        axisTitle += tr("; %1 empty buckets not shown").arg(counts.size() - (last - first + 1));
    buckets->setTitleText(axisTitle);
    countAxis->applyNiceNumbers();
    chart->addAxis(buckets, Qt::AlignBottom);
    chart->addAxis(countAxis, Qt::AlignLeft);
    series->attachAxis(buckets);
    series->attachAxis(countAxis);
}

} // namespace Phaseline
