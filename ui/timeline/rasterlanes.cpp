#include "rasterlanes.h"

#include "phasecolors.h"
#include "timelineframe.h"

#include <QImage>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Phaseline {

namespace {

constexpr double kFullDetailWidth = 6; // px; narrower parts are one colour (their longest phase)
constexpr int kParallelLanes = 64;     // fewer lanes than this: one thread

// Adds the coverage of [x0, x1) (pixels, fractional) to one slot of a row of pixels. With
// `solid` (a lane alone in its pixel rows), whole pixels are painted instead: the slot is
// written, later segments overwriting earlier ones, and only the two edge pixels keep
// fractional coverage (flagged in `partial`).
void addCoverage(float *coverage, int slotCount, int slot, double x0, double x1, int width, quint8 *solid,
                 quint8 *partial)
{
    x0 = std::max(0.0, x0);
    x1 = std::min(double(width), x1);
    if (!(x1 > x0))
        return;
    const int first = int(x0);
    const int last = std::min(width - 1, int(x1));
    auto edge = [&](int x, double amount) {
        coverage[x * slotCount + slot] += float(amount);
        if (partial)
            partial[x] = 1;
    };
    if (first == last) {
        edge(first, x1 - x0);
        return;
    }
    edge(first, first + 1 - x0);
    if (solid) {
        std::fill(solid + first + 1, solid + last, quint8(slot + 1));
    } else {
        for (int x = first + 1; x < last; ++x)
            coverage[x * slotCount + slot] += 1.0f;
    }
    if (last < width && x1 > last)
        edge(last, x1 - last);
}

QRgb blend(QRgb base, QRgb over, float alpha)
{
    auto mix = [alpha](int a, int b) { return int(std::lround(a + (b - a) * alpha)); };
    return qRgb(mix(qRed(base), qRed(over)), mix(qGreen(base), qGreen(over)), mix(qBlue(base), qBlue(over)));
}

// The image being drawn and the colour of each coverage slot (catalogue phases, then the
// background of a part with no drawn phase here).
struct RasterCanvas
{
    uchar *pixels;
    qsizetype stride;
    int width, height;
    double pixelsPerSecond;
    std::vector<QRgb> colors;
    int slotCount() const { return int(colors.size()); }
    int backgroundSlot() const { return slotCount() - 1; }
    QRgb *row(int y) const { return reinterpret_cast<QRgb *>(pixels + size_t(y) * size_t(stride)); }
};

// Coverage of one band of pixel rows (the lanes starting in the same row), resolved to colours
// when the next band starts. One per worker: nothing here is shared.
class RasterBand
{
public:
    explicit RasterBand(const RasterCanvas &canvas)
        : m_canvas(canvas), m_coverage(size_t(canvas.width) * size_t(canvas.slotCount()), 0.0f),
          m_solid(size_t(canvas.width), 0), m_partial(size_t(canvas.width), 0)
    {
    }

    // A lane covering pixel rows [firstRow, endRow); `alone` when it has rows of its own (painted, not blended).
    void startLane(int firstRow, int endRow, bool alone)
    {
        if (firstRow != m_firstRow) {
            flush();
            m_firstRow = firstRow;
            m_endRow = endRow;
        }
        ++m_lanes;
        m_alone = alone;
    }
    void touch(int lo, int hi)
    {
        m_touchedMin = std::min(m_touchedMin, lo);
        m_touchedMax = std::max(m_touchedMax, hi);
    }
    void add(int slot, double x0, double x1)
    {
        addCoverage(m_coverage.data(), m_canvas.slotCount(), slot, x0, x1, m_canvas.width,
                    m_alone ? m_solid.data() : nullptr, m_alone ? m_partial.data() : nullptr);
    }
    void flush();

private:
    // The slot drawn at column x (or -1) and its opacity; clears the column's coverage.
    int resolve(int x, float *alpha);

    const RasterCanvas &m_canvas;
    std::vector<float> m_coverage; // per column, per slot
    std::vector<quint8> m_solid, m_partial;
    int m_touchedMin = std::numeric_limits<int>::max(), m_touchedMax = -1;
    int m_firstRow = -1, m_endRow = -1, m_lanes = 0;
    bool m_alone = false;
};

int RasterBand::resolve(int x, float *alpha)
{
    const int slotCount = m_canvas.slotCount();
    float *cell = &m_coverage[size_t(x) * size_t(slotCount)];
    const quint8 solid = m_solid[size_t(x)];
    *alpha = 1;
    if (solid && !m_partial[size_t(x)])
        return solid - 1;
    int best = -1;
    float total = 0, bestValue = 0;
    for (int s = 0; s < slotCount - 1; ++s) {
        total += cell[s];
        if (cell[s] > bestValue) {
            bestValue = cell[s];
            best = s;
        }
    }
    const float background = cell[slotCount - 1];
    const float lanes = float(std::max(1, m_lanes));
    if (best < 0 && solid) {
        best = solid - 1;
    } else if (best < 0 && background > 0) {
        best = slotCount - 1;
        *alpha = std::min(1.0f, background / lanes);
    } else if (best >= 0) {
        *alpha = solid ? 1.0f : std::min(1.0f, std::max(total, background) / lanes);
    }
    std::fill_n(cell, slotCount, 0.0f);
    return best;
}

void RasterBand::flush()
{
    if (m_firstRow >= 0 && m_touchedMax >= m_touchedMin) {
        for (int x = m_touchedMin; x <= m_touchedMax; ++x) {
            float alpha = 1;
            const int best = resolve(x, &alpha);
            m_solid[size_t(x)] = 0;
            m_partial[size_t(x)] = 0;
            if (best < 0)
                continue;
            // Rows of a band share one background (group bands are uniform), so one colour serves all.
            const QRgb under = m_canvas.row(m_firstRow)[x];
            const QRgb color = alpha >= 1 ? m_canvas.colors[size_t(best)] : blend(under, m_canvas.colors[size_t(best)], alpha);
            for (int y = m_firstRow; y < m_endRow; ++y)
                m_canvas.row(y)[x] = color;
        }
        m_touchedMin = m_canvas.width;
        m_touchedMax = -1;
    }
    m_lanes = 0;
}

// Adds a part of `lane` (ending at part `laneEnd`) to the band; returns the last part it took
// (more than this one when parts within one pixel column were folded together).
int addPart(const TimelineFrame &frame, const RasterCanvas &canvas, RasterBand &band, double ratio, int part,
            int laneEnd)
{
    const TimelineLayout &layout = frame.layout();
    const double pixelsPerSecond = canvas.pixelsPerSecond;
    const double x0 = (layout.partStart(part) - frame.axis.viewStart) * pixelsPerSecond;
    const double x1 = std::max(x0 + 0.5, (layout.partEnd(part) - frame.axis.viewStart) * pixelsPerSecond);
    const int lo = std::max(0, int(x0)), hi = std::min(canvas.width - 1, int(x1));
    if (hi < lo)
        return part;
    band.touch(lo, hi);
    auto slotOf = [&](int phase) { return phase >= 0 ? phase : canvas.backgroundSlot(); };
    if (x1 - x0 < 1) {
        // Fold every part that starts in this pixel column: one coverage run whose length is
        // their summed durations, in the colour of the middle one.
        const double columnEnd = frame.axis.viewStart + (std::floor(x0) + 1) / pixelsPerSecond;
        const double *starts = layout.partStarts();
        const int foldEnd = int(std::upper_bound(starts + part, starts + laneEnd, columnEnd) - starts);
        if (foldEnd - part > 1) {
            const std::vector<double> &prefix = frame.state.durationPrefix;
            const double covered = (prefix[size_t(foldEnd)] - prefix[size_t(part)]) * pixelsPerSecond;
            const double lastEnd = (layout.partEnd(foldEnd - 1) - frame.axis.viewStart) * pixelsPerSecond;
            const double foldX1 = std::min(std::max(lastEnd, x0 + 0.5), x0 + std::max(covered, 0.5));
            band.add(slotOf(frame.state.dominantPhase((part + foldEnd) / 2)), x0, foldX1);
            band.touch(lo, std::min(canvas.width - 1, int(foldX1)));
            return foldEnd - 1;
        }
    }
    if (x1 - x0 < kFullDetailWidth * ratio) {
        band.add(slotOf(frame.state.dominantPhase(part)), x0, x1);
        return part;
    }
    band.add(canvas.backgroundSlot(), x0, x1);
    TimelineSegment segments[kMaxTimelineSegments];
    const int n = frame.state.segmentsOf(part, segments);
    for (int s = 0; s < n; ++s)
        band.add(segments[s].phase, (segments[s].start - frame.axis.viewStart) * pixelsPerSecond,
                 (segments[s].end - frame.axis.viewStart) * pixelsPerSecond);
    return part;
}

// Lanes [firstLane, endLane) into their pixel rows.
void rasteriseRange(const TimelineFrame &frame, const RasterCanvas &canvas, double ratio, int firstLane, int endLane)
{
    const TimelineLayout &layout = frame.layout();
    const TimelineGeometry &geometry = frame.geometry;
    RasterBand band(canvas);
    for (int lane = firstLane; lane < endLane; ++lane) {
        if (!geometry.isLaneVisible(lane))
            continue;
        const double y0 = (geometry.laneTop(lane) - geometry.lanes.top()) * ratio;
        const double laneHeight = geometry.laneHeightOf(lane) * ratio;
        const int firstRow = std::clamp(int(y0), 0, canvas.height - 1);
        const int endRow = std::clamp(int(y0 + laneHeight - (laneHeight >= 5 ? 1 : 0)), firstRow + 1, canvas.height);
        // A lane with pixel rows of its own is painted; lanes sharing rows add coverage.
        band.startLane(firstRow, endRow, laneHeight >= 1);
        const int laneEnd = layout.laneEnd(lane);
        for (int part = layout.firstPartEndingAfter(lane, frame.axis.viewStart);
             part < laneEnd && layout.partStart(part) <= frame.axis.viewEnd; ++part)
            part = addPart(frame, canvas, band, ratio, part, laneEnd);
    }
    band.flush();
}

// Group bands first, so empty space keeps the lane backgrounds.
void fillGroupBands(const TimelineFrame &frame, const RasterCanvas &canvas, double ratio, QRgb base, QRgb alternate)
{
    const TimelineGeometry &geometry = frame.geometry;
    const auto &groups = frame.layout().groups();
    for (size_t g = 0; g < groups.size(); ++g) {
        const int y0 = std::max(0, int((geometry.groupTop[g] - geometry.lanes.top()) * ratio));
        const int y1 = std::min(canvas.height, int((geometry.groupTop[g] - geometry.lanes.top()
                                                    + groups[g].laneCount * geometry.groupLaneHeight[g]) * ratio));
        for (int y = y0; y < y1; ++y)
            std::fill_n(canvas.row(y), canvas.width, g % 2 ? alternate : base);
    }
}

} // namespace

void rasteriseLanes(const TimelineFrame &frame, qreal ratio, QImage &image)
{
    const TimelineGeometry &geometry = frame.geometry;
    const int width = std::max(1, int(std::lround(geometry.lanes.width() * ratio)));
    const int height = std::max(1, int(std::lround(geometry.lanes.height() * ratio)));
    // Reused between frames: fresh pages cost more than the drawing on some machines.
    if (image.width() != width || image.height() != height || image.format() != QImage::Format_RGB32)
        image = QImage(width, height, QImage::Format_RGB32);
    image.setDevicePixelRatio(ratio);
    const QRgb base = frame.palette.base().color().rgb();
    image.fill(base);
    const PhaseCatalog &catalog = frame.table.phases();
    // scanLine() detaches on every call: address the pixels directly.
    RasterCanvas canvas{image.bits(), image.bytesPerLine(), width, height, width / frame.span(), {}};
    canvas.colors.resize(size_t(catalog.size()) + 1);
    for (int p = 0; p < catalog.size(); ++p)
        canvas.colors[size_t(p)] = PhaseColors::instance().color(catalog.at(p)).rgb();
    canvas.colors.back() = QColor::fromRgba(kTimelinePartBackground).rgb();
    fillGroupBands(frame, canvas, ratio, base, frame.palette.alternateBase().color().rgb());

    // Two halves run on both cores, split where a new pixel row starts so no row is shared.
    auto laneTopRow = [&](int lane) {
        return std::clamp(int((geometry.laneTop(lane) - geometry.lanes.top()) * ratio), 0, height - 1);
    };
    const int lanes = frame.layout().laneCount();
    int split = lanes / 2;
    while (split > 0 && split < lanes && laneTopRow(split) == laneTopRow(split - 1))
        ++split;
    if (lanes < kParallelLanes || split >= lanes) {
        rasteriseRange(frame, canvas, ratio, 0, lanes);
        return;
    }
    QFuture<void> firstHalf = QtConcurrent::run([&] { rasteriseRange(frame, canvas, ratio, 0, split); });
    rasteriseRange(frame, canvas, ratio, split, lanes);
    firstHalf.waitForFinished();
}

} // namespace Phaseline
