#include "analysis/datasets.h"
#include "trtllm/trtllmimporter.h"
#include "trtllm/trtllmlayout.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace Phaseline::TrtLlm {

namespace {

// Copies one side's recorded values from row `from` into row `to`; recorded values of
// `from` win, since full worker records carry more detail than header-derived parts.
void mergeSide(RequestTable &table, const Layout &layout, Side side, int from, int to)
{
    for (int column : layout.sideStamp[side]) {
        const double value = table.stamp(column, from);
        if (!isMissing(value))
            table.setStampRelative(column, to, value);
    }
    for (int column : layout.sideAttribute[side]) {
        const double value = table.attributeColumn(column).at(from);
        if (!isMissing(value))
            table.setAttribute(column, to, value);
    }
    for (int column : {layout.disaggRequestId, layout.ctxRequestId}) {
        const double value = table.attributeColumn(column).at(from);
        if (isMissing(table.attributeColumn(column).at(to)) && !isMissing(value))
            table.setAttribute(column, to, value);
    }
    for (int column : {side == ContextSide ? layout.ctxServerLabel : layout.genServerLabel, layout.statusLabel}) {
        const LabelColumn &labels = table.labelColumn(column);
        if (labels.codes[size_t(to)] == 0)
            table.setLabelCode(column, to, labels.codes[size_t(from)]);
    }
}

Side sideOf(Role role) { return role == Role::Generation ? GenerationSide : ContextSide; }

QString examples(const RequestTable &table, const std::vector<int> &rows)
{
    QStringList ids;
    for (size_t i = 0; i < rows.size() && i < 5; ++i)
        ids << table.id(rows[i]);
    if (rows.size() > 5)
        ids << QStringLiteral("...");
    return ids.join(QStringLiteral(", "));
}

// Runs loaded together share request ids, so a record's join partner is looked up in its own
// dataset (input) first. Only a record with no candidate there looks at the other inputs (one
// run given as separate router and worker files), and takes a partner only when it is the one.
class PartnerIndex
{
public:
    enum Scope { SameInput, OtherInputs };

    explicit PartnerIndex(const std::vector<LabelCode> &datasetOfRow) : m_datasetOf(datasetOfRow) {}

    void add(qint64 key, int row)
    {
        if (key != kNoKey)
            m_rows[key].push_back(row);
    }
    // The partner of a record of `dataset` with join key `key` in that input, or (OtherInputs)
    // the one candidate of the other inputs when its own input has none; else -1.
    int find(qint64 key, LabelCode dataset, Scope scope) const
    {
        const auto found = m_rows.find(key);
        if (found == m_rows.end())
            return -1;
        int elsewhere = -1, elsewhereCount = 0;
        for (int row : found->second) {
            if (m_datasetOf[size_t(row)] == dataset)
                return scope == SameInput ? row : -1;
            elsewhere = row;
            ++elsewhereCount;
        }
        return scope == OtherInputs && elsewhereCount == 1 ? elsewhere : -1;
    }

private:
    const std::vector<LabelCode> &m_datasetOf;
    std::unordered_map<qint64, std::vector<int>> m_rows;
};

std::vector<LabelCode> datasetOfRows(const RequestTable &table)
{
    std::vector<LabelCode> datasets(size_t(table.size()), 0);
    const int column = table.labelIndex(kDatasetLabel);
    if (column >= 0) {
        for (int row = 0; row < table.size(); ++row)
            datasets[size_t(row)] = table.labelColumn(column).codes[size_t(row)];
    }
    return datasets;
}

} // namespace

void join(Fragments &fragments, const QString &inputName)
{
    RequestTable &table = fragments.table;
    const Layout layout = Layout::registerOn(table);
    const int n = table.size();

    bool anyWorkerSide = false;
    for (int row = 0; row < n && !anyWorkerSide; ++row)
        anyWorkerSide = table.role(row) == Role::Context || table.role(row) == Role::Generation;

    auto warn = [&](const QString &message) {
        fragments.issues.append(LoadIssue{LoadIssue::Warning, inputName, -1, -1, message});
    };

    std::vector<bool> keep(size_t(n), true);
    std::vector<int> movedTo(size_t(n), -1);
    const std::vector<LabelCode> datasetOf = datasetOfRows(table);

    // A disagg_request_id names one request of a run: a second disagg-server record of it in the
    // same input is a copy (a backup of the router file, a file read twice) and is not counted.
    std::vector<int> repeated;
    {
        std::map<std::pair<LabelCode, qint64>, int> firstOfKey;
        for (int row = 0; row < n; ++row) {
            const qint64 key = fragments.disaggKey[size_t(row)];
            if (table.role(row) != Role::Disaggregated || key == kNoKey)
                continue;
            if (!firstOfKey.emplace(std::make_pair(datasetOf[size_t(row)], key), row).second) {
                keep[size_t(row)] = false;
                repeated.push_back(row);
            }
        }
    }
    if (!repeated.empty()) {
        warn(QStringLiteral("%1 disagg-server record(s) repeat the disagg_request_id of an earlier record of the same "
                            "input (a copy of the router file?) and were not counted again (ids %2)")
                 .arg(repeated.size())
                 .arg(examples(table, repeated)));
    }

    if (anyWorkerSide) {
        PartnerIndex combinedByDisagg(datasetOf), combinedByCtx(datasetOf);
        for (int row = 0; row < n; ++row) {
            if (table.role(row) != Role::Disaggregated || !keep[size_t(row)])
                continue;
            combinedByDisagg.add(fragments.disaggKey[size_t(row)], row);
            combinedByCtx.add(fragments.ctxKey[size_t(row)], row);
        }
        // 1. Worker records into the disagg server's record of the same request: every input's
        // own first, so that no record of another input takes a side before its own worker.
        std::vector<quint8> filledSides(size_t(n), 0);
        for (const PartnerIndex::Scope scope : {PartnerIndex::SameInput, PartnerIndex::OtherInputs}) {
            for (int row = 0; row < n; ++row) {
                const Role role = table.role(row);
                if ((role != Role::Context && role != Role::Generation) || !keep[size_t(row)])
                    continue;
                const LabelCode dataset = datasetOf[size_t(row)];
                int target = combinedByDisagg.find(fragments.disaggKey[size_t(row)], dataset, scope);
                if (target < 0)
                    target = combinedByCtx.find(fragments.ctxKey[size_t(row)], dataset, scope);
                const quint8 bit = quint8(1u << sideOf(role));
                if (target < 0 || (filledSides[size_t(target)] & bit))
                    continue;
                mergeSide(table, layout, sideOf(role), row, target);
                filledSides[size_t(target)] |= bit;
                keep[size_t(row)] = false;
                movedTo[size_t(row)] = target;
            }
        }

        // 2. Context and generation records without a disagg-server record: pair them.
        auto pairingKey = [&](int row) {
            return fragments.disaggKey[size_t(row)] != kNoKey ? fragments.disaggKey[size_t(row)]
                                                              : fragments.ctxKey[size_t(row)];
        };
        std::unordered_map<qint64, std::vector<int>> contextRows, generationRows;
        for (int row = 0; row < n; ++row) {
            if (!keep[size_t(row)])
                continue;
            if (table.role(row) == Role::Context)
                contextRows[pairingKey(row)].push_back(row);
            else if (table.role(row) == Role::Generation)
                generationRows[pairingKey(row)].push_back(row);
        }
        std::vector<int> ambiguous;
        auto pair = [&](const std::vector<int> &generations, const std::vector<int> &contexts) {
            if (generations.size() != 1 || contexts.size() != 1) {
                // e.g. a gen-only benchmark stamps ctx_request_id=1 on every request: refuse to guess.
                ambiguous.insert(ambiguous.end(), generations.begin(), generations.end());
                ambiguous.insert(ambiguous.end(), contexts.begin(), contexts.end());
                return;
            }
            const int contextRow = contexts.front();
            const int generationRow = generations.front();
            mergeSide(table, layout, GenerationSide, generationRow, contextRow);
            table.setRole(contextRow, Role::Disaggregated);
            keep[size_t(generationRow)] = false;
            movedTo[size_t(generationRow)] = contextRow;
        };
        for (const auto &[key, generations] : generationRows) {
            const auto contexts = contextRows.find(key);
            if (contexts == contextRows.end())
                continue;
            // Within each input first; what is left without a partner there may pair across inputs.
            std::map<LabelCode, std::pair<std::vector<int>, std::vector<int>>> byDataset;
            for (int row : generations)
                byDataset[datasetOf[size_t(row)]].first.push_back(row);
            for (int row : contexts->second)
                byDataset[datasetOf[size_t(row)]].second.push_back(row);
            std::vector<int> lonelyGenerations, lonelyContexts;
            for (const auto &[dataset, sides] : byDataset) {
                if (!sides.first.empty() && !sides.second.empty()) {
                    pair(sides.first, sides.second);
                } else {
                    lonelyGenerations.insert(lonelyGenerations.end(), sides.first.begin(), sides.first.end());
                    lonelyContexts.insert(lonelyContexts.end(), sides.second.begin(), sides.second.end());
                }
            }
            if (!lonelyGenerations.empty() && !lonelyContexts.empty())
                pair(lonelyGenerations, lonelyContexts);
        }
        if (!ambiguous.empty()) {
            std::sort(ambiguous.begin(), ambiguous.end());
            warn(QStringLiteral("%1 context/generation records share a join key with more than one partner and "
                                "were left unjoined (ids %2)")
                     .arg(ambiguous.size())
                     .arg(examples(table, ambiguous)));
        }

        std::vector<int> lonelyContext, lonelyGeneration;
        for (int row = 0; row < n; ++row) {
            if (!keep[size_t(row)] || std::binary_search(ambiguous.begin(), ambiguous.end(), row))
                continue;
            if (table.role(row) == Role::Context)
                lonelyContext.push_back(row);
            else if (table.role(row) == Role::Generation)
                lonelyGeneration.push_back(row);
        }
        if (!lonelyContext.empty()) {
            warn(QStringLiteral("%1 context record(s) matched no generation or disagg-server record; kept as "
                                "context-only requests (ids %2)")
                     .arg(lonelyContext.size())
                     .arg(examples(table, lonelyContext)));
        }
        if (!lonelyGeneration.empty()) {
            warn(QStringLiteral("%1 generation record(s) matched no context or disagg-server record; kept as "
                                "generation-only requests (ids %2)")
                     .arg(lonelyGeneration.size())
                     .arg(examples(table, lonelyGeneration)));
        }
    }

    // Disagg-server records whose context side was lost (ctx_perf_metrics: null, or no worker record).
    std::vector<int> withoutContext;
    const int ctxArrival = layout.sideStamp[ContextSide][Arrival];
    const int ctxServerArrival = layout.sideStamp[ContextSide][ServerArrival];
    for (int row = 0; row < n; ++row) {
        if (keep[size_t(row)] && table.role(row) == Role::Disaggregated && isMissing(table.stamp(ctxArrival, row))
            && isMissing(table.stamp(ctxServerArrival, row)))
            withoutContext.push_back(row);
    }
    if (!withoutContext.empty()) {
        warn(QStringLiteral("%1 disaggregated request(s) have no context-server record; their context phases are "
                            "missing (ids %2)")
                 .arg(withoutContext.size())
                 .arg(examples(table, withoutContext)));
    }

    if (!anyWorkerSide && repeated.empty())
        return;
    StepTable &steps = table.mutableSteps();
    for (quint32 &request : steps.request) {
        if (movedTo[request] >= 0)
            request = quint32(movedTo[request]);
    }
    fragments.compact(keep);
}

} // namespace Phaseline::TrtLlm

namespace Phaseline {

namespace {

class TrtLlmJoin : public FileJoin
{
public:
    void add(MappedFile &file, const QString &inputName, LoadControl *control) override
    {
        TrtLlm::importFile(file, inputName, m_fragments, control);
    }
    RequestTable &rows() override { return m_fragments.table; }
    QVector<LoadIssue> &issues() override { return m_fragments.issues; }
    void truncate(int rowCount, qsizetype issueCount) override
    {
        std::vector<bool> keep(size_t(m_fragments.table.size()), false);
        std::fill(keep.begin(), keep.begin() + std::min(rowCount, m_fragments.table.size()), true);
        m_fragments.compact(keep);
        m_fragments.issues.resize(std::min(issueCount, m_fragments.issues.size()));
    }
    FileImport finish(const QString &inputName) override
    {
        TrtLlm::join(m_fragments, inputName);
        FileImport joined;
        joined.table = std::move(m_fragments.table);
        joined.issues = std::move(m_fragments.issues);
        return joined;
    }

private:
    TrtLlm::Fragments m_fragments;
};

} // namespace

QString TrtLlmImporter::formatName() const
{
    return QStringLiteral("TensorRT-LLM perf metrics");
}

bool TrtLlmImporter::sniff(std::string_view content) const
{
    return TrtLlm::sniff(content.data(), content.size());
}

FileImport TrtLlmImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    TrtLlmJoin one;
    one.add(file, inputName, control);
    return one.finish(inputName);
}

std::unique_ptr<FileJoin> TrtLlmImporter::newJoin() const
{
    return std::make_unique<TrtLlmJoin>();
}

} // namespace Phaseline
