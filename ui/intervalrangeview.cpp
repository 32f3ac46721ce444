#include "intervalrangeview.h"

#include "distributionsview.h"
#include "intervalview.h"

#include <QDateTime>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

namespace Phaseline {

IntervalRangeView::IntervalRangeView(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel), m_distributions(new DistributionsView)
{
    m_summary->setObjectName(QStringLiteral("intervalRangeSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_distributions, 1);
    clear();
}

void IntervalRangeView::clear()
{
    m_summary->setText(tr("Drag across the Intervals view to see the distribution of exactly that time range: the "
                          "histograms' deltas summed over the intervals in it."));
    m_distributions->setDistributions({});
}

QVector<HistogramDistribution> IntervalRangeView::distributionsOf(const IntervalSeries &series,
                                                                  const MetricsInterval &merged)
{
    QVector<HistogramDistribution> result;
    for (const IntervalPhase &phase : merged.phases) {
        HistogramDistribution histogram;
        histogram.name = IntervalView::phaseTitle(phase.phase);
        histogram.engine = series.engine;
        histogram.metric = phase.metric;
        histogram.unit = QStringLiteral("s");
        histogram.help = tr("Summed over the selected intervals");
        histogram.source = series.source;
        histogram.labels = {{QStringLiteral("series"), series.name}};
        histogram.upperBounds = phase.upperBounds;
        double cumulative = 0;
        for (int i = 0; i < phase.upperBounds.size(); ++i) {
            const double bound = phase.upperBounds[i];
            histogram.boundTexts << (std::isinf(bound) ? QStringLiteral("+Inf") : QString::number(bound, 'g', 12));
            cumulative += i < phase.bucketDeltas.size() ? phase.bucketDeltas[i] : 0;
            histogram.cumulativeCounts << cumulative;
        }
        histogram.sum = phase.sumSeconds;
        histogram.count = phase.count;
        result << histogram;
    }
    return result;
}

void IntervalRangeView::showRange(const QVector<IntervalSeries> &series, const QVector<QPair<int, int>> &ranges)
{
    QVector<HistogramDistribution> histograms;
    QStringList parts;
    if (!m_merge) { // set by whoever owns the panel (MainWindow): summing lives in models
        m_summary->setText(tr("Range sums are not available here."));
        m_distributions->setDistributions({});
        return;
    }
    for (int s = 0; s < series.size() && s < ranges.size(); ++s) {
        const auto [first, last] = ranges[s];
        if (first < 0)
            continue;
        const MetricsInterval merged = m_merge(series[s], first, last);
        int restarts = 0;
        for (int i = first + 1; i <= last; ++i)
            restarts += series[s].intervals[i].segment != series[s].intervals[i - 1].segment;
        QString part = tr("<b>%1</b>: %2 – %3, %n interval(s)", nullptr, last - first + 1)
                           .arg(series[s].name.toHtmlEscaped(),
                                QDateTime::fromMSecsSinceEpoch(series[s].intervals[first].startMs)
                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                                QDateTime::fromMSecsSinceEpoch(series[s].intervals[last].endMs)
                                    .toString(QStringLiteral("HH:mm:ss.zzz")));
        part += std::isnan(merged.requestsFinished)
                    ? tr(", finished requests: not exposed")
                    : tr(", finished requests: %1").arg(merged.requestsFinished);
        if (restarts > 0)
            part += tr(" (across %n counter reset(s): summed within each segment)", nullptr, restarts);
        parts << part;
        histograms += distributionsOf(series[s], merged);
    }
    if (parts.isEmpty()) {
        m_summary->setText(tr("The selected range holds no whole interval (an interval counts when its middle lies "
                              "in the range)."));
    } else {
        m_summary->setText(tr("Selected range, snapped to whole intervals: ") + parts.join(QStringLiteral("; "))
                           + tr(". Means are exact (sum Δ / count Δ); quantiles are estimated from the summed "
                                "bucket deltas."));
    }
    m_distributions->setDistributions(histograms);
}

} // namespace Phaseline
