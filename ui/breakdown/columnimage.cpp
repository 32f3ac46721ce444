#include "columnimage.h"

#include "barspass.h"
#include "breakdownframe.h"

#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <utility>

namespace Phaseline {

namespace {

// The device rows [first, end) the raster engine fills for an unantialiased rectangle one pixel
// column wide, `top` and `height` in logical pixels: it traces the rectangle as a line through its
// middle, as thick as the rectangle is tall, and fills the rows whose centre that line covers
// (QRasterizer::rasterizeLine); slivers under 1/64 of a device pixel fill nothing.
std::pair<int, int> filledRows(double top, double height, int ratio)
{
    const double middle = (top + (top + height)) * 0.5 * ratio;
    const double halfThickness = height * (ratio * 0.5);
    const double upper = middle - halfThickness, lower = middle + halfThickness;
    if (int((lower - upper) * 64) == 0)
        return {0, 0};
    return {int(upper + 0.5), lower < 0.5 ? 0 : int(lower - 0.5) + 1};
}

} // namespace

bool BreakdownColumnImage::Key::operator==(const Key &other) const
{
    return plot == other.plot && pixelRatio == other.pixelRatio && maxMs == other.maxMs
           && minLogMs == other.minLogMs && log == other.log && colors == other.colors;
}

bool BreakdownColumnImage::paint(QPainter &painter, const BreakdownFrame &frame,
                                 const std::vector<BreakdownModel::ColumnSummary> &columns)
{
    const double ratio = painter.device()->devicePixelRatio();
    if (painter.paintEngine()->type() != QPaintEngine::Raster || !painter.worldTransform().isIdentity()
        || ratio != std::floor(ratio) || painter.testRenderHint(QPainter::Antialiasing))
        return false;
    Key key{frame.plot(), int(ratio), frame.scale.maxMs, frame.scale.minLogMs, frame.scale.log, {}};
    key.colors.reserve(size_t(frame.model.layerCount()));
    for (int layer = 0; layer < frame.model.layerCount(); ++layer)
        key.colors.push_back(qPremultiply(layerColor(frame.model, layer).rgba()));
    if (!m_valid || !(key == m_key)) {
        m_key = std::move(key);
        build(frame, columns);
        m_valid = true;
    }
    painter.drawImage(QPointF(frame.plot().topLeft()), m_image);
    return true;
}

void BreakdownColumnImage::build(const BreakdownFrame &frame, const std::vector<BreakdownModel::ColumnSummary> &columns)
{
    ++m_builds;
    const QRect &plot = frame.plot();
    const int ratio = m_key.pixelRatio;
    if (m_image.size() != plot.size() * ratio) { // else reused: a pan keeps the size
        m_image = QImage(plot.size() * ratio, QImage::Format_ARGB32_Premultiplied);
        m_image.setDevicePixelRatio(ratio);
    }
    m_image.fill(Qt::transparent);
    uchar *const pixels = m_image.bits(); // once: scanLine() checks for a detach on every call
    const qsizetype stride = m_image.bytesPerLine();
    const int width = std::min(int(columns.size()), plot.width());
    for (int c = 0; c < width; ++c) {
        const auto &column = columns[size_t(c)];
        if (column.count == 0)
            continue;
        BreakdownBarsPass::walkStack(
            frame, column.medianStack.data(), int(column.medianStack.size()), [&](int layer, double top, double height) {
                const auto [firstRow, endRow] = filledRows(top, height, ratio);
                const int first = std::max(0, firstRow - plot.top() * ratio);
                const int end = std::min(m_image.height(), endRow - plot.top() * ratio);
                const QRgb color = m_key.colors[size_t(layer)];
                for (int y = first; y < end; ++y)
                    std::fill_n(reinterpret_cast<QRgb *>(pixels + y * stride) + c * ratio, ratio, color);
            });
    }
}

} // namespace Phaseline
