#include "analysis/stepclock.h"

#include "analysis/statistics.h"

#include <QHash>

#include <algorithm>

namespace Phaseline {

StepClockCorrection estimateStepClockOffsets(const RequestTable &table)
{
    StepClockCorrection correction;
    const StepTable &steps = table.steps();
    if (steps.size() == 0)
        return correction;

    const int server = table.labelIndex(QStringLiteral("server"));
    const int source = table.labelIndex(QStringLiteral("source"));
    const int ctxServer = table.labelIndex(QStringLiteral("ctx_server"));
    const int genServer = table.labelIndex(QStringLiteral("gen_server"));
    auto label = [&table](int column, int row) { return column >= 0 ? table.labelColumn(column).at(row) : QString(); };
    auto hostOf = [&](int preferred, int row) {
        for (int column : {preferred, server, source}) {
            const QString value = label(column, row);
            if (!value.isEmpty())
                return value;
        }
        return QString();
    };
    const int ctxScheduled = table.stampIndex(QStringLiteral("ctx_first_scheduled_time"));
    const int genScheduled = table.stampIndex(QStringLiteral("gen_first_scheduled_time"));
    const int ctxFirstToken = table.stampIndex(QStringLiteral("ctx_first_token_time"));
    auto stampOf = [&table](int column, int row) { return column >= 0 ? table.stamp(column, row) : kMissing; };

    // Steps of one request and kind are contiguous in the step table (importers append
    // them per record), so the first forward start of a run is its first entry's minimum.
    QHash<QString, int> workerIds;
    std::vector<std::vector<double>> samples;
    correction.workerOfStep.assign(steps.size(), -1);
    size_t begin = 0;
    while (begin < steps.size()) {
        const quint32 row = steps.request[begin];
        const quint8 kind = steps.kind[begin];
        size_t end = begin;
        double firstForward = kMissing;
        for (; end < steps.size() && steps.request[end] == row && steps.kind[end] == kind; ++end) {
            const double forward = steps.forwardStart[end];
            if (!isMissing(forward) && (isMissing(firstForward) || forward < firstForward))
                firstForward = forward;
        }
        const Role role = table.role(int(row));
        const bool generationWorker = role == Role::Disaggregated || role == Role::Generation;
        QString worker;
        double reference = kMissing;
        if (kind == StepTable::ContextChunk && role != Role::Aggregated) {
            worker = QStringLiteral("context ") + hostOf(ctxServer, int(row));
            reference = stampOf(ctxScheduled, int(row));
        } else if (kind == StepTable::GenerationStep && generationWorker) {
            worker = QStringLiteral("generation ") + hostOf(genServer, int(row));
            reference = stampOf(genScheduled, int(row));
        } else { // an aggregated worker runs both; its chunks start at first scheduled, its steps after the first token
            worker = QStringLiteral("worker ") + hostOf(-1, int(row));
            reference = stampOf(kind == StepTable::ContextChunk ? ctxScheduled : ctxFirstToken, int(row));
        }
        auto found = workerIds.constFind(worker);
        int id = found != workerIds.constEnd() ? found.value() : -1;
        if (id < 0) {
            id = int(correction.workers.size());
            workerIds.insert(worker, id);
            correction.workers.push_back(StepClockWorker{worker, 0, 0});
            samples.emplace_back();
        }
        std::fill(correction.workerOfStep.begin() + qsizetype(begin), correction.workerOfStep.begin() + qsizetype(end), id);
        if (!isMissing(firstForward) && !isMissing(reference))
            samples[size_t(id)].push_back(firstForward - reference);
        begin = end;
    }
    for (size_t w = 0; w < samples.size(); ++w) {
        std::vector<double> &values = samples[w];
        if (values.empty())
            continue;
        std::sort(values.begin(), values.end());
        correction.workers[w].offset = percentileOfSorted(values, 50);
        correction.workers[w].samples = int(values.size());
    }
    return correction;
}

} // namespace Phaseline
