#pragma once

#include "analysis/metricsintervals.h"
#include "output/statisticsformat.h"

#include <QJsonArray>

namespace Phaseline {

// The --stats part for per-interval phases (docs/metrics-intervals.md): every interval and phase,
// then the whole series merged. Means are exact (sum delta / count delta); p50/p90/p99 are
// estimated from the bucket deltas and say so. Text and CSV: a section to append; JSON: the
// value of "interval_series".
QByteArray intervalsToText(const QVector<IntervalSeries> &series);
QByteArray intervalsToCsv(const QVector<IntervalSeries> &series);
QJsonArray intervalsToJson(const QVector<IntervalSeries> &series);

} // namespace Phaseline
