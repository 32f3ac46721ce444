#pragma once

#include <QSize>
#include <QString>

#include <functional>

class QPainter;
class QRect;
class QWidget;

namespace Phaseline {

// Paints something into a target rectangle; the same callback serves the screen, PNG and SVG.
using PaintFunction = std::function<void(QPainter &, const QRect &)>;

// Writes `paint` to `path` (.png or .svg, by suffix) at `size` logical pixels. PNG
// images are size × devicePixelRatio pixels, on an opaque background; SVG files are
// declared at 96 dpi with `title` as their title. False with `error` set on failure.
bool exportPainting(const PaintFunction &paint, const QString &path, const QSize &size, const QString &title,
                    qreal devicePixelRatio, QString *error);

// The whole widget as it is on screen (PNG) or re-rendered into SVG.
bool exportWidget(QWidget *widget, const QString &path, QString *error);

} // namespace Phaseline
