#include "breakdownframe.h"

#include "analysis/breakdownmodel.h"
#include "phasecolors.h"
#include "core/requesttable.h"

#include <algorithm>
#include <cmath>

namespace Phaseline {

QColor layerColor(const BreakdownModel &model, int layer)
{
    return PhaseColors::instance().color(model.layerName(layer), model.layerCatalogColor(layer));
}

QString shortRequestId(const RequestTable &table, int row, int chars)
{
    const std::string_view id = table.idView(row);
    // Four UTF-8 bytes at most per character; the cut may split one, which fromUtf8 replaces.
    const size_t bytes = std::min(id.size(), size_t(chars) * 4);
    QString text = QString::fromUtf8(id.data(), qsizetype(bytes));
    if (text.size() > chars || bytes < id.size())
        text = text.left(chars - 1) + QChar(0x2026);
    return text;
}

double BreakdownScale::toY(double ms, const QRect &plot) const
{
    double fraction = 0;
    if (log) {
        fraction = ms <= minLogMs ? 0 : (std::log10(ms) - std::log10(minLogMs)) / (std::log10(maxMs) - std::log10(minLogMs));
    } else {
        fraction = ms / maxMs;
    }
    return plot.bottom() + 1 - std::clamp(fraction, 0.0, 1.0) * plot.height();
}

} // namespace Phaseline
