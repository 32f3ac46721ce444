#pragma once

#include <QPair>
#include <QString>
#include <QVector>

namespace Phaseline {

// One server-side histogram (Prometheus exposition): aggregate data with no request
// identity, so it is never turned into requests. Values are in the metric's own unit.
struct HistogramDistribution
{
    QString name;   // short, e.g. "time_to_first_token"
    QString engine; // "vLLM", "SGLang" or "Prometheus"
    QString metric; // as exposed, e.g. "vllm:time_to_first_token_seconds"
    QString unit;   // "s", "ms", or empty for counts (tokens)
    QString help;
    QString source; // the file it came from
    QVector<QPair<QString, QString>> labels; // model_name, engine, stage, ... (le excluded)
    QStringList boundTexts;                  // upper bounds as written, "+Inf" last when present
    QVector<double> upperBounds;             // parsed from boundTexts, ascending
    QVector<double> cumulativeCounts;        // one per bound
    double sum = 0;
    double count = 0;

    bool isEmpty() const { return count <= 0; }
    double mean() const;
    // "model_name=..., engine=0": the labels that tell series of one metric apart.
    QString labelText() const;
    // Per-bucket (not cumulative) counts.
    QVector<double> bucketCounts() const;
};

// A quantile read off a histogram: linear interpolation inside the bucket holding the
// rank (the Prometheus histogram_quantile rule), with that bucket's limits.
struct QuantileEstimate
{
    double value = 0;
    double lower = 0; // bucket lower limit (0 for the first bucket of a non-negative metric)
    double upper = 0; // bucket upper limit; infinite when the rank lies above the last finite bound
    bool valid = false;
    // The rank is in the +Inf bucket: `value` is the last finite bound, a lower limit only.
    bool aboveLastBound() const;
};

// q in [0, 1]. Invalid when nothing was observed.
QuantileEstimate estimateQuantile(const HistogramDistribution &histogram, double q);

} // namespace Phaseline
