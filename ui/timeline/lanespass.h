#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QString>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// The lanes: group bands with their server labels, the parts (exact rectangles with their
// phases and steps when few are visible, else a raster of the dominant phase per pixel),
// the ruler's grid over them and a scroll indicator when lanes overflow.
class LanesPass
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    void paint(QPainter &painter, const TimelineFrame &frame, bool forExport);
    void invalidate();

private:
    void paintGroups(QPainter &painter, const TimelineFrame &frame) const;
    static void paintExactParts(QPainter &painter, const TimelineFrame &frame);
    void paintRaster(QPainter &painter, const TimelineFrame &frame, bool forExport);
    static void paintScrollIndicator(QPainter &painter, const TimelineFrame &frame);

    // Dense lanes are rasterised once per view state; hover and selection repaint over it.
    QImage m_raster;
    QString m_rasterKey;
};

} // namespace Phaseline
