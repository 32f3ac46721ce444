#pragma once

#include <QStringList>
#include <QString>
#include <QVector>

#include <algorithm>

namespace Phaseline {

enum class Role : quint8 { Aggregated = 0, Context, Generation, Disaggregated, Client };
constexpr int kRoleCount = 5;
QString roleName(Role role);

using RoleMask = quint8;
constexpr RoleMask roleBit(Role role) { return RoleMask(1u << unsigned(role)); }
constexpr RoleMask kAllRoles = RoleMask((1u << kRoleCount) - 1);

// A phase is a named start -> end pair of stamps. Where one phase name means different
// stamps for different roles (decode: the generation side in disaggregated serving, the
// only side in aggregated serving), it carries one span per role group. Where several
// spans fit a role, the first whose two stamps are recorded is used (totals fall back
// from the HTTP stamps to the engine's when a server did not record the former).
struct PhaseSpan
{
    QString startStamp;
    QString endStamp;
    RoleMask roles = kAllRoles;
};

// Who records a stamp and what it marks: "client", "request sent". Sides that share a host
// share a clock (a server and its engine); client and server stamps are on different clocks.
struct StampMeaning
{
    QString side;  // "client", "server", "engine", "router", "context server", ...; empty if unknown
    QString event; // "request sent"; the stamp's own name if unknown
};
StampMeaning stampMeaning(const QString &stamp);
// "client" for a span both of whose stamps the client records, "router → server" across sides.
QString spanSide(const PhaseSpan &span);
// "client: request sent → first token received"; "router: forwarded → server: received" across sides.
QString describeSpan(const PhaseSpan &span);

struct PhaseDefinition
{
    enum Group : quint8 { TimeToFirstToken, Lifecycle };

    QString name;        // stable machine name, e.g. "ctx_queue"
    QString title;       // "Context Queue"
    QString description; // one line for tooltips and legends
    quint32 color = 0; // 0xAARRGGBB (models stay QtGui-free)
    Group group = TimeToFirstToken;
    QVector<PhaseSpan> spans;
    // Sub-phases that tile this one when their stamps exist; the stack draws either the
    // parent or its children, statistics report both.
    QStringList children;
};

class PhaseCatalog
{
public:
    PhaseCatalog() = default;
    explicit PhaseCatalog(QVector<PhaseDefinition> phases, QVector<PhaseDefinition> totals = {})
        : m_phases(std::move(phases)), m_totals(std::move(totals))
    {
    }

    // The canonical TensorRT-LLM catalogue (docs/phase-model.md §4): the 12 TTFT segments of
    // time_breakdown, gen_queue (their parent, for data without KV stamps) and decode.
    static PhaseCatalog trtllm();

    // The one rule for nested phases (PhaseDefinition::children; docs/phase-model.md §2:
    // gen_queue stands "in place of its three sub-segments" when they are not recorded): a
    // parent gives way to its children only when every one of them is recorded, since only
    // then do they tile it. With one missing, the parent is shown and its children are not
    // (they would leave a gap in it, or overlap it). The breakdown decides it per request, the
    // timeline per request part, the statistics' median stack per scope. `children` identify
    // the parent's children in the caller's terms (names, view layers); `recorded(child)` says
    // whether one is recorded.
    template <typename Children, typename Recorded>
    static bool childrenReplaceParent(const Children &children, Recorded &&recorded)
    {
        return !children.empty() && std::all_of(children.begin(), children.end(), recorded);
    }
    // The catalogue every other format maps onto (docs/formats.md "Recommended common model").
    // Server stamps: server_received, engine_enqueued, scheduled, first_token,
    // first_token_sent, last_token, server_finished. Client stamps (Role::Client rows):
    // client_enqueued, client_sent, client_response_start, client_first_token,
    // client_last_token, client_end. Formats fill only the stamps their data supports;
    // phases nobody recorded are omitted from views and statistics.
    static PhaseCatalog common();
    // common() plus SGLang's split of prefill into launch delay (scheduled -> prefill_start) and
    // prefill forward (prefill_start -> first_token), and decode ending at server_finished for
    // records without a last-token stamp (docs/formats.md §2a).
    static PhaseCatalog sglang();

    int size() const { return m_phases.size(); }
    const PhaseDefinition &at(int index) const { return m_phases.at(index); }
    int indexOf(const QString &name) const;
    const QVector<PhaseDefinition> &all() const { return m_phases; }
    // Whole-request spans (time to first token, end to end) reported beside the phases.
    const QVector<PhaseDefinition> &totals() const { return m_totals; }

    // Adds the other catalogue's phases and totals; a name both have keeps this side's
    // title and colour and gains the other's spans (rows use the first recorded span).
    void merge(const PhaseCatalog &other);

private:
    QVector<PhaseDefinition> m_phases;
    QVector<PhaseDefinition> m_totals;
};

} // namespace Phaseline
