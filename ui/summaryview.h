#pragma once

#include "core/runsummary.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QTableWidget;

namespace Phaseline {

// Read-only tables of the summaries benchmark tools wrote (AIPerf, llmperf, bench_serving,
// trtllm-bench): one list entry per summary, its metrics with the tool's own statistics beside.
// Nothing here is recomputed by Phaseline.
class SummaryView : public QWidget
{
    Q_OBJECT
public:
    explicit SummaryView(QWidget *parent = nullptr);

    void setSummaries(const QVector<RunSummary> &summaries);
    const QVector<RunSummary> &summaries() const { return m_summaries; }

    QListWidget *summaryList() const { return m_list; }
    QTableWidget *metricTable() const { return m_table; }
    QLabel *caption() const { return m_caption; }

private:
    void showSummary(int index);

    QVector<RunSummary> m_summaries;
    QLabel *m_heading = nullptr;
    QLabel *m_caption = nullptr; // tool, file and run of the summary shown
    QListWidget *m_list = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace Phaseline
