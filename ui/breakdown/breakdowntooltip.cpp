#include "breakdowntooltip.h"

#include "breakdownframe.h"
#include "phasecolors.h"
#include "requestdescription.h"
#include "analysis/statistics.h"

#include <algorithm>
#include <cmath>

namespace Phaseline {

namespace {

constexpr int kTooltipIdChars = 200;

// "Decode <grey>(client)</grey>": which side's clock measured a phase, beside its name.
QString sideTagged(const QString &title, const QString &side)
{
    return side.isEmpty() ? title
                          : QStringLiteral("%1 <font color='#808080'>(%2)</font>").arg(title, side.toHtmlEscaped());
}

QString layerRow(const QColor &color, const QString &name, const QString &value, const QString &share)
{
    return QStringLiteral("<tr><td><font color='%1'>■</font> %2</td><td align=right>&nbsp;%3</td>"
                          "<td align=right>&nbsp;%4</td></tr>")
        .arg(color.name(), name, value, share);
}

double stackOf(const BreakdownModel &model, int row, std::vector<BreakdownModel::Segment> &segments, int *n)
{
    segments.resize(static_cast<size_t>(model.layerCount()));
    *n = model.stack(row, segments.data());
    double total = 0;
    for (int s = 0; s < *n; ++s)
        total += segments[size_t(s)].ms;
    return total;
}

} // namespace

QString BreakdownToolTip::forRequest(const BreakdownModel &model, int row)
{
    const RequestTable &table = *model.table();
    const PhaseResolver resolver(table);
    std::vector<BreakdownModel::Segment> segments;
    int n = 0;
    const double stackTotal = stackOf(model, row, segments, &n);
    QString html = QStringLiteral("<b>Request %1</b><br>%2<table cellspacing=0 cellpadding=1>")
                       .arg(shortRequestId(table, row, kTooltipIdChars).toHtmlEscaped(),
                            describeRoleAndServers(table, row).toHtmlEscaped());
    QStringList missing;
    html += layerRows(model, resolver, row, &missing);
    html += QStringLiteral("</table>");
    html += tr("Stack total: <b>%1 ms</b>").arg(formatMilliseconds(stackTotal));
    html += measuredLines(model, resolver, row);
    if (!missing.isEmpty())
        html += tr("<br><font color='#d62728'>Not recorded: %1</font>").arg(missing.join(QStringLiteral(", ")));
    const QString derived = table.label(QStringLiteral("approximations"), row);
    if (!derived.isEmpty())
        html += tr("<br><i>Derived, not stamped: %1</i>").arg(derived.toHtmlEscaped());
    const double runStart = model.runStart();
    if (!isMissing(model.arrival(row)) && !isMissing(runStart)) {
        html += tr("<br>Arrival: +%1 s after the first request (clock %2)")
                    .arg(QString::number(model.arrival(row) - runStart, 'f', 6),
                         table.label(QStringLiteral("clock"), row).toHtmlEscaped());
    }
    return html;
}

QString BreakdownToolTip::layerRows(const BreakdownModel &model, const PhaseResolver &resolver, int row,
                                    QStringList *missing)
{
    const PhaseCatalog &catalog = model.table()->phases();
    std::vector<BreakdownModel::Segment> segments;
    int n = 0;
    const double stackTotal = stackOf(model, row, segments, &n);
    auto shareOf = [stackTotal](double ms) -> QString {
        return QString::number(100.0 * ms / stackTotal, 'f', 1) + QLatin1Char('%');
    };
    QString html;
    for (int l = 0; l < model.layerCount(); ++l) {
        const int phase = model.layerPhase(l);
        if (!model.layerAvailable(l))
            continue;
        if (phase < 0) { // the decode remainder (lifecycle mode)
            const float ms = model.layerMs(l, row);
            if (std::isnan(ms) && model.isMissingFor(l, row))
                *missing << model.layerTitle(l);
            else if (!std::isnan(ms))
                html += layerRow(layerColor(model, l), model.layerTitle(l), formatMilliseconds(ms) + QStringLiteral(" ms"),
                                 stackTotal > 0 ? shareOf(ms) : QString());
            continue;
        }
        double ms = 0;
        int span = -1;
        const PhaseState state = resolver.duration(phase, row, &ms, &span);
        if (state == PhaseState::Missing) {
            if (model.isMissingFor(l, row))
                *missing << catalog.at(phase).title;
            continue;
        }
        const bool drawn = std::any_of(segments.begin(), segments.begin() + n,
                                       [l](const BreakdownModel::Segment &s) { return s.layer == l; });
        QString share;
        if (state == PhaseState::Anomaly)
            share = QStringLiteral("<font color='#d62728'>⚠ end before start</font>");
        else if (drawn && stackTotal > 0)
            share = shareOf(ms);
        else if (!model.isLayerShown(l))
            share = tr("hidden");
        else
            share = tr("in sub-phases");
        html += layerRow(PhaseColors::instance().color(catalog.at(phase)),
                         sideTagged(catalog.at(phase).title, spanSide(catalog.at(phase).spans.at(span))),
                         formatMilliseconds(ms) + QStringLiteral(" ms"), share);
    }
    return html;
}

// Totals and decode are named for what measured them: a client's e2e is not a server's.
QString BreakdownToolTip::measuredLines(const BreakdownModel &model, const PhaseResolver &resolver, int row)
{
    const RequestTable &table = *model.table();
    const PhaseCatalog &catalog = table.phases();
    auto measuredLine = [](const PhaseDefinition &definition, double ms, int span) {
        return QStringLiteral("<br>%1: %2 ms <font color='#808080'>(%3)</font>")
            .arg(definition.title, formatMilliseconds(ms), describeSpan(definition.spans.at(span)).toHtmlEscaped());
    };
    QString html;
    const PhaseResolver totals(table, catalog.totals());
    for (int t = 0; t < catalog.totals().size(); ++t) {
        double ms = 0;
        int span = -1;
        if (totals.duration(t, row, &ms, &span) == PhaseState::Recorded)
            html += measuredLine(catalog.totals().at(t), ms, span);
    }
    const int decode = catalog.indexOf(QStringLiteral("decode"));
    double decodeMs = 0;
    int decodeSpan = -1;
    if (decode >= 0 && resolver.duration(decode, row, &decodeMs, &decodeSpan) != PhaseState::Missing) {
        html += measuredLine(catalog.at(decode), decodeMs, decodeSpan);
        if (model.mode() == BreakdownModel::Mode::Lifecycle)
            html += tr("<br><i>decode overlaps the postprocessing phases; the stack draws only the part after the "
                       "first token was sent</i>");
    }
    return html;
}

QString BreakdownToolTip::forColumn(const BreakdownModel &model, const BreakdownModel::ColumnSummary &column,
                                    bool p99AboveAxis)
{
    QString html = tr("<b>%1 requests</b> (#%2 – #%3 in display order)<table cellspacing=0 cellpadding=1>")
                       .arg(column.count)
                       .arg(column.firstIndex + 1)
                       .arg(column.firstIndex + column.count);
    double sum = 0;
    for (const BreakdownModel::Segment &segment : column.medianStack) {
        sum += segment.ms;
        html += QStringLiteral("<tr><td><font color='%1'>■</font> %2</td><td align=right>&nbsp;median %3 ms</td></tr>")
                    .arg(layerColor(model, segment.layer).name(), model.layerTitle(segment.layer),
                         formatMilliseconds(segment.ms));
    }
    html += QStringLiteral("</table>");
    html += tr("Sum of medians: %1 ms · p99 of totals: %2 ms").arg(formatMilliseconds(sum), formatMilliseconds(column.p99Total));
    if (p99AboveAxis)
        html += tr(" (above the axis: ▲)");
    if (column.anyMissing)
        html += tr("<br>Some requests here miss phases.");
    if (column.anyAnomaly)
        html += tr("<br><font color='#d62728'>Some requests here have phases ending before they start.</font>");
    html += tr("<br><i>Zoom in (Ctrl+wheel, Shift+drag) to see single requests.</i>");
    return html;
}

} // namespace Phaseline
