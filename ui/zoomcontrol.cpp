#include "zoomcontrol.h"

#include <algorithm>

namespace Phaseline {

ZoomControl::ZoomControl(QObject *parent) : QObject(parent) {}

void ZoomControl::setMinimumSpan(double span)
{
    m_minimumSpan = std::max(0.0, span);
    setVisibleRange(m_visibleStart, m_visibleEnd);
}

void ZoomControl::setTrace(double start, double end)
{
    end = std::max(start, end);
    const bool traceMoved = start != m_traceStart || end != m_traceEnd;
    m_traceStart = start;
    m_traceEnd = end;
    if (traceMoved) {
        Q_EMIT traceChanged();
        clearSelection(); // a selection of another trace means nothing in this one
    }
    showWholeTrace();
}

void ZoomControl::showWholeTrace()
{
    // Set as is, not through the clamp: the whole trace, exactly.
    if (m_visibleStart != m_traceStart || m_visibleEnd != m_traceEnd) {
        m_visibleStart = m_traceStart;
        m_visibleEnd = m_traceEnd;
        Q_EMIT visibleRangeChanged();
    }
    if (clampSelection())
        Q_EMIT selectionChanged();
}

void ZoomControl::setVisibleRange(double start, double end)
{
    setVisibleSpan(start, end - start);
}

void ZoomControl::setVisibleSpan(double start, double span)
{
    const double whole = traceSpan();
    span = std::clamp(span, std::min(m_minimumSpan, whole), whole);
    start = std::clamp(start, m_traceStart, std::max(m_traceStart, m_traceEnd - span));
    if (start == m_visibleStart && start + span == m_visibleEnd)
        return;
    m_visibleStart = start;
    m_visibleEnd = start + span;
    Q_EMIT visibleRangeChanged();
    if (clampSelection())
        Q_EMIT selectionChanged();
}

void ZoomControl::zoomAbout(double anchor, double factor)
{
    const double span = visibleSpan();
    const double fraction = (anchor - m_visibleStart) / std::max(span, 1e-9);
    const double zoomed = std::max(std::min(m_minimumSpan, traceSpan()), span * factor);
    const double start = anchor - fraction * zoomed;
    setVisibleRange(start, start + zoomed);
}

void ZoomControl::panBy(double delta)
{
    setVisibleRange(m_visibleStart + delta, m_visibleEnd + delta);
}

void ZoomControl::setSelection(double start, double end)
{
    const bool had = m_hasSelection;
    const double oldStart = m_selectionStart, oldEnd = m_selectionEnd;
    m_hasSelection = true;
    m_selectionStart = std::min(start, end);
    m_selectionEnd = std::max(start, end);
    clampSelection();
    if (had != m_hasSelection || oldStart != m_selectionStart || oldEnd != m_selectionEnd)
        Q_EMIT selectionChanged();
}

void ZoomControl::clearSelection()
{
    if (!m_hasSelection)
        return;
    m_hasSelection = false;
    m_selectionStart = m_selectionEnd = 0;
    Q_EMIT selectionChanged();
}

// True when the selection changed.
bool ZoomControl::clampSelection()
{
    if (!m_hasSelection)
        return false;
    const double start = std::clamp(m_selectionStart, m_visibleStart, m_visibleEnd);
    const double end = std::clamp(m_selectionEnd, m_visibleStart, m_visibleEnd);
    if (start == m_selectionStart && end == m_selectionEnd)
        return false;
    if (!(end > start) && m_selectionEnd > m_selectionStart) {
        // Nothing of it is visible any more.
        m_hasSelection = false;
        m_selectionStart = m_selectionEnd = 0;
        return true;
    }
    m_selectionStart = start;
    m_selectionEnd = end;
    return true;
}

} // namespace Phaseline
