#pragma once

#include <QCoreApplication>
#include <QImage>
#include <QString>

#include <vector>

class QPainter;

namespace Phaseline {

struct TimelineFrame;

// Requests in flight (grey area) and per-side series (lines) over the visible window, their
// names and the peak in the gutter.
class ConcurrencyPass
{
    Q_DECLARE_TR_FUNCTIONS(TimelineView)
public:
    void paint(QPainter &painter, const TimelineFrame &frame);

private:
    // Sampled at each pixel column's centre; kept while the window stays (hover repaints).
    static QString valuesKey(const TimelineFrame &frame, int columns);
    const std::vector<std::vector<int>> &valuesFor(const TimelineFrame &frame, int columns);
    void drawStrip(const TimelineFrame &frame, const QRect &area, qreal ratio);
    void paintLabels(QPainter &painter, const TimelineFrame &frame, int peak) const;

    std::vector<std::vector<int>> m_values; // per series, per pixel column
    QString m_key;
    QImage m_strip; // the strip as drawn for m_stripKey (window, size, pixel ratio, background)
    QString m_stripKey;
    int m_peak = 1;
};

} // namespace Phaseline
