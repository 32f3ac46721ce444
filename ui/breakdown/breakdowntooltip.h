#pragma once

#include "analysis/breakdownmodel.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace Phaseline {

class PhaseResolver;

// The breakdown's tooltips: a request (its layers with shares, totals and decode named for what
// measured them, what is missing or derived, its arrival) and an aggregated column.
class BreakdownToolTip
{
    Q_DECLARE_TR_FUNCTIONS(BreakdownView)
public:
    static QString forRequest(const BreakdownModel &model, int row);
    static QString forColumn(const BreakdownModel &model, const BreakdownModel::ColumnSummary &column,
                             bool p99AboveAxis);

private:
    // One table row per recorded layer; the layers not recorded go to `missing`.
    static QString layerRows(const BreakdownModel &model, const PhaseResolver &resolver, int row,
                             QStringList *missing);
    static QString measuredLines(const BreakdownModel &model, const PhaseResolver &resolver, int row);
};

} // namespace Phaseline
