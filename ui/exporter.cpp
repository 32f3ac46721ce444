#include "exporter.h"

#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSvgGenerator>
#include <QWidget>

namespace Phaseline {

namespace {

bool isSvg(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("svg"), Qt::CaseInsensitive) == 0;
}

} // namespace

bool exportPainting(const PaintFunction &paint, const QString &path, const QSize &size, const QString &title,
                    qreal devicePixelRatio, QString *error)
{
    const QRect target(QPoint(0, 0), size);
    if (isSvg(path)) {
        QSvgGenerator generator;
        generator.setFileName(path);
        generator.setSize(size);
        generator.setViewBox(target);
        generator.setResolution(96); // the default 72 dpi would declare the drawing a third too large
        generator.setTitle(title);
        generator.setDescription(QStringLiteral("Exported by Phaseline"));
        QPainter painter;
        if (!painter.begin(&generator)) {
            *error = QStringLiteral("cannot write %1").arg(path);
            return false;
        }
        paint(painter, target);
        painter.end();
        return true;
    }
    // QImage memory is uninitialised: the paint callback fills its background first.
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);
    {
        QPainter painter(&image);
        paint(painter, target);
    }
    if (!image.save(path)) {
        *error = QStringLiteral("cannot write %1 (unknown image format or unwritable place)").arg(path);
        return false;
    }
    return true;
}

bool exportWidget(QWidget *widget, const QString &path, QString *error)
{
    if (isSvg(path)) {
        return exportPainting([widget](QPainter &painter, const QRect &) { widget->render(&painter); }, path,
                              widget->size(), widget->windowTitle(), 1.0, error);
    }
    if (!widget->grab().save(path)) {
        *error = QStringLiteral("cannot write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace Phaseline
