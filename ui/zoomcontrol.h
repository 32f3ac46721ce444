#pragma once

#include <QObject>

namespace Phaseline {

// The range state a zoomable view navigates, on one numeric axis (seconds on the timeline,
// display positions on the breakdown): the trace (everything there is) contains the visible
// range, which contains the selection (a band being dragged, or picked). Every setter clamps
// into that nesting and emits its signal once, only when a value really changed. No painting,
// no widgets: views hold one and draw from it.
class ZoomControl : public QObject
{
    Q_OBJECT
public:
    explicit ZoomControl(QObject *parent = nullptr);

    double traceStart() const { return m_traceStart; }
    double traceEnd() const { return m_traceEnd; }
    double traceSpan() const { return m_traceEnd - m_traceStart; }
    double visibleStart() const { return m_visibleStart; }
    double visibleEnd() const { return m_visibleEnd; }
    double visibleSpan() const { return m_visibleEnd - m_visibleStart; }
    bool hasSelection() const { return m_hasSelection; }
    double selectionStart() const { return m_selectionStart; }
    double selectionEnd() const { return m_selectionEnd; }

    // The narrowest visible span (zooming in stops there); a trace narrower than it is shown whole.
    void setMinimumSpan(double span);
    double minimumSpan() const { return m_minimumSpan; }

    // A new trace shows whole and drops the selection.
    void setTrace(double start, double end);
    // Clamped: the span to [minimum span, trace span], then the start so the range stays in the trace.
    void setVisibleRange(double start, double end);
    void setVisibleSpan(double start, double span);
    void showWholeTrace();
    // Scales the visible span by `factor` (< 1 zooms in) keeping `anchor` where it is in the window.
    void zoomAbout(double anchor, double factor);
    void panBy(double delta);
    // Clamped into the visible range; an empty range after clamping clears the selection.
    void setSelection(double start, double end);
    void clearSelection();

Q_SIGNALS:
    void traceChanged();
    void visibleRangeChanged();
    void selectionChanged();

private:
    bool clampSelection();

    double m_minimumSpan = 0;
    double m_traceStart = 0, m_traceEnd = 0;
    double m_visibleStart = 0, m_visibleEnd = 0;
    bool m_hasSelection = false;
    double m_selectionStart = 0, m_selectionEnd = 0;
};

} // namespace Phaseline
