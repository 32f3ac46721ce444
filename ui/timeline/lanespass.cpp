#include "lanespass.h"

#include "phasecolors.h"
#include "rasterlanes.h"
#include "rulerpass.h"
#include "stepspass.h"
#include "timelineframe.h"

#include <QElapsedTimer>
#include <QPainter>

#include <algorithm>

namespace Phaseline {

namespace {

constexpr int kExactPartLimit = 6000; // more visible parts than this: rasterise
constexpr double kMinExactLaneHeight = 2;
constexpr double kStepMinWidth = 80; // px a part needs before its steps are drawn
constexpr double kStepMinLaneHeight = 10;

// Parts in visible lanes and the visible window, counted up to just past `limit`.
int countVisibleParts(const TimelineFrame &frame, int limit)
{
    const TimelineLayout &layout = frame.layout();
    int visibleParts = 0;
    for (int lane = 0; lane < layout.laneCount() && visibleParts <= limit; ++lane) {
        if (!frame.geometry.isLaneVisible(lane))
            continue;
        const int first = layout.firstPartEndingAfter(lane, frame.axis.viewStart);
        for (int part = first; part < layout.laneEnd(lane) && layout.partStart(part) <= frame.axis.viewEnd; ++part) {
            if (++visibleParts > limit)
                break;
        }
    }
    return visibleParts;
}

} // namespace

void LanesPass::invalidate()
{
    m_raster = QImage();
    m_rasterKey.clear();
}

void LanesPass::paint(QPainter &painter, const TimelineFrame &frame, bool forExport)
{
    paintGroups(painter, frame);
    const TimelineGeometry &geometry = frame.geometry;
    painter.save();
    painter.setClipRect(geometry.lanes);
    if (countVisibleParts(frame, kExactPartLimit) <= kExactPartLimit && geometry.laneHeight >= kMinExactLaneHeight)
        paintExactParts(painter, frame);
    else
        paintRaster(painter, frame, forExport);
    RulerPass::paintGrid(painter, frame);
    painter.restore();
    if (geometry.contentHeight > geometry.lanes.height())
        paintScrollIndicator(painter, frame);
}

void LanesPass::paintGroups(QPainter &painter, const TimelineFrame &frame) const
{
    const TimelineGeometry &geometry = frame.geometry;
    const auto &groups = frame.layout().groups();
    painter.save();
    // Bands and labels of scrolled lanes stay inside the lanes' rows.
    painter.setClipRect(QRect(0, geometry.lanes.top(), geometry.lanes.right() + 1, geometry.lanes.height()));
    painter.setPen(frame.palette.text().color());
    const QFontMetrics metrics(frame.font);
    const int available = kTimelineGutter - 12;
    for (size_t g = 0; g < groups.size(); ++g) {
        const double top = geometry.groupTop[g];
        const double height = groups[g].laneCount * geometry.groupLaneHeight[g];
        if (top + height < geometry.lanes.top() || top > geometry.lanes.bottom())
            continue;
        const QRectF band(geometry.lanes.left(), top, geometry.lanes.width(), height);
        painter.fillRect(band, g % 2 ? frame.palette.alternateBase() : frame.palette.base());
        // "context ctx-node0:8001": servers differ at their end (host:port), so a long
        // server name is elided at its front; the lane count goes below when there is room.
        QString label = groups[g].title;
        if (!groups[g].server.isEmpty() && metrics.horizontalAdvance(label) > available) {
            const QString prefix = label.left(label.size() - groups[g].server.size());
            label = prefix + metrics.elidedText(groups[g].server, Qt::ElideLeft,
                                                available - metrics.horizontalAdvance(prefix));
        }
        // Sticky: a group scrolled partly out keeps its label at the top of what is shown.
        const double labelTop = std::min(std::max(top, double(geometry.lanes.top())), top + height - metrics.height());
        const QRectF labelRect(6, std::max(top, labelTop), available, std::max(height, double(metrics.height())));
        painter.drawText(labelRect, Qt::AlignTop | Qt::AlignLeft, metrics.elidedText(label, Qt::ElideRight, available));
        if (groups[g].laneCount > 1 && height >= 2 * metrics.height()) {
            painter.setPen(frame.palette.mid().color());
            painter.drawText(labelRect.adjusted(0, metrics.height(), 0, 0), Qt::AlignTop | Qt::AlignLeft,
                             tr("%1 lanes").arg(groups[g].laneCount));
            painter.setPen(frame.palette.text().color());
        }
    }
    painter.restore();
}

void LanesPass::paintExactParts(QPainter &painter, const TimelineFrame &frame)
{
    const TimelineLayout &layout = frame.layout();
    const bool withStepTable = !frame.state.stepBegin.empty();
    const PhaseCatalog &catalog = frame.table.phases();
    TimelineSegment segments[kMaxTimelineSegments];
    for (int lane = 0; lane < layout.laneCount(); ++lane) {
        const double top = frame.geometry.laneTop(lane);
        if (!frame.geometry.isLaneVisible(lane))
            continue;
        const double laneHeight = frame.geometry.laneHeightOf(lane);
        const double height = laneHeight - (laneHeight >= 5 ? 1 : 0);
        const bool stepsPossible = withStepTable && laneHeight >= kStepMinLaneHeight;
        for (int part = layout.firstPartEndingAfter(lane, frame.axis.viewStart);
             part < layout.laneEnd(lane) && layout.partStart(part) <= frame.axis.viewEnd; ++part) {
            const double x0 = frame.xOfTime(layout.partStart(part));
            const double x1 = std::max(x0 + 1, frame.xOfTime(layout.partEnd(part)));
            painter.fillRect(QRectF(x0, top, x1 - x0, height), QColor::fromRgba(kTimelinePartBackground));
            const int n = frame.state.segmentsOf(part, segments);
            const bool withSteps = stepsPossible && x1 - x0 >= kStepMinWidth;
            const double phaseHeight = withSteps ? height * 0.55 : height;
            for (int s = 0; s < n; ++s) {
                const double sx0 = frame.xOfTime(segments[s].start);
                const double sx1 = std::max(sx0 + 1, frame.xOfTime(segments[s].end));
                painter.fillRect(QRectF(sx0, top, sx1 - sx0, phaseHeight),
                                 PhaseColors::instance().color(catalog.at(segments[s].phase)));
            }
            if (x1 - x0 >= 4) // a hairline where a request starts, so neighbours in a lane stay apart
                painter.fillRect(QRectF(x0, top, 1, height), QColor(0, 0, 0, 70));
            if (withSteps)
                StepsPass::paint(painter, frame, part, QRectF(x0, top + phaseHeight, x1 - x0, height - phaseHeight));
        }
    }
}

void LanesPass::paintRaster(QPainter &painter, const TimelineFrame &frame, bool forExport)
{
    const TimelineGeometry &geometry = frame.geometry;
    const qreal ratio = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
    const QString key = QStringLiteral("%1|%2|%3x%4|%5|%6")
                            .arg(frame.axis.viewStart, 0, 'g', 17)
                            .arg(frame.axis.viewEnd, 0, 'g', 17)
                            .arg(geometry.lanes.width())
                            .arg(geometry.lanes.height())
                            .arg(ratio)
                            .arg(frame.revision);
    if (forExport || key != m_rasterKey || m_raster.isNull()) {
        QElapsedTimer timer;
        timer.start();
        rasteriseLanes(frame, ratio, m_raster);
        m_rasterKey = key;
        qCDebug(lcTimelineFrames) << "lanes rasterised in" << double(timer.nsecsElapsed()) / 1e6 << "ms";
    }
    painter.drawImage(geometry.lanes.topLeft(), m_raster);
}

// Where the shown lanes are among all of them (they scroll: wheel over the labels, PgUp/PgDn).
void LanesPass::paintScrollIndicator(QPainter &painter, const TimelineFrame &frame)
{
    const TimelineGeometry &geometry = frame.geometry;
    const double visible = geometry.lanes.height() / geometry.contentHeight;
    const QRectF track(geometry.lanes.right() + 3, geometry.lanes.top(), 4, geometry.lanes.height());
    painter.fillRect(track, frame.palette.alternateBase());
    painter.fillRect(QRectF(track.left(), track.top() + geometry.scroll / geometry.contentHeight * track.height(),
                            track.width(), std::max(8.0, visible * track.height())),
                     frame.palette.mid());
}

} // namespace Phaseline
