#pragma once

#include "core/runsummary.h"

#include <QJsonArray>
#include <QString>

namespace Phaseline {

// The "summaries" part of the --stats outputs: tools' own statistics, printed as the tools
// reported them (shortest exact decimal), never recomputed.
// JSON: [{"source", "tool", "run", "metrics": [{"name", "unit", "statistics": {"avg": x, ...}}]}].
QJsonArray summariesToJson(const QVector<RunSummary> &summaries);
// CSV: one row per statistic: summary_source,tool,run,metric,unit,statistic,value.
QString summariesToCsv(const QVector<RunSummary> &summaries);
// Text: a labelled section, one line per metric.
QString summariesToText(const QVector<RunSummary> &summaries);

// A tool's number as text: the shortest decimal that reads back as the same double.
QString summaryNumber(double value);

} // namespace Phaseline
