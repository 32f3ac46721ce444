#include "core/phasecatalog.h"

#include <algorithm>

namespace Phaseline {

QString roleName(Role role)
{
    switch (role) {
    case Role::Aggregated: return QStringLiteral("aggregated");
    case Role::Context: return QStringLiteral("context");
    case Role::Generation: return QStringLiteral("generation");
    case Role::Disaggregated: return QStringLiteral("disaggregated");
    case Role::Client: return QStringLiteral("client");
    }
    return QString();
}

StampMeaning stampMeaning(const QString &stamp)
{
    struct Known
    {
        const char *stamp, *side, *event;
    };
    // Every stamp a catalogue names (common, SGLang, CSV, TensorRT-LLM), by who records it.
    static const Known kKnown[] = {
        {"client_enqueued", "client", "request created"},
        {"client_sent", "client", "request sent"},
        {"client_response_start", "client", "response stream opened"},
        {"client_first_token", "client", "first token received"},
        {"client_last_token", "client", "last token received"},
        {"client_end", "client", "response complete"},
        {"router_arrival", "router", "request arrived"},
        {"router_forwarded", "router", "request forwarded"},
        {"router_first_token", "router", "first token received"},
        {"router_finished", "router", "request finished"},
        {"server_received", "server", "request received"},
        {"engine_enqueued", "engine", "request queued"},
        {"scheduled", "engine", "first scheduled"},
        {"prefill_start", "engine", "prefill batch launched"},
        {"first_token", "engine", "first token produced"},
        {"first_token_sent", "server", "first token sent"},
        {"last_token", "engine", "last token produced"},
        {"server_finished", "server", "request finished"},
        {"disagg_server_arrival_time", "disagg server", "request arrived"},
        {"disagg_server_first_token_time", "disagg server", "first token sent"},
        {"ctx_server_arrival_time", "context server", "request arrived"},
        {"ctx_arrival_time", "context server", "request enqueued in the executor"},
        {"ctx_first_scheduled_time", "context server", "first scheduled"},
        {"ctx_first_token_time", "context server", "first token produced"},
        {"ctx_server_first_token_time", "context server", "first token sent"},
        {"ctx_last_token_time", "context server", "last token produced"},
        {"gen_server_arrival_time", "generation server", "request arrived"},
        {"gen_arrival_time", "generation server", "request enqueued in the executor"},
        {"gen_kv_cache_transfer_start", "generation server", "KV-cache transfer started"},
        {"gen_kv_cache_transfer_end", "generation server", "KV-cache transfer done"},
        {"gen_first_scheduled_time", "generation server", "first scheduled"},
        {"gen_first_token_time", "generation server", "first token produced"},
        {"gen_server_first_token_time", "generation server", "first token sent"},
        {"gen_last_token_time", "generation server", "last token produced"},
    };
    for (const Known &known : kKnown) {
        if (stamp == QLatin1String(known.stamp))
            return StampMeaning{QString::fromLatin1(known.side), QString::fromLatin1(known.event)};
    }
    return StampMeaning{QString(), stamp};
}

QString spanSide(const PhaseSpan &span)
{
    const QString start = stampMeaning(span.startStamp).side;
    const QString end = stampMeaning(span.endStamp).side;
    // A server and its engine share a host and a clock: one side.
    auto host = [](const QString &side) { return side == QLatin1String("engine") ? QStringLiteral("server") : side; };
    if (host(start) == host(end))
        return host(start);
    return QStringLiteral("%1 \u2192 %2").arg(start.isEmpty() ? QStringLiteral("?") : start,
                                              end.isEmpty() ? QStringLiteral("?") : end);
}

QString describeSpan(const PhaseSpan &span)
{
    const StampMeaning start = stampMeaning(span.startStamp);
    const StampMeaning end = stampMeaning(span.endStamp);
    auto part = [](const StampMeaning &meaning) {
        return meaning.side.isEmpty() ? meaning.event : QStringLiteral("%1 %2").arg(meaning.side, meaning.event);
    };
    if (start.side == end.side && !start.side.isEmpty())
        return QStringLiteral("%1: %2 \u2192 %3").arg(start.side, start.event, end.event);
    return QStringLiteral("%1 \u2192 %2").arg(part(start), part(end));
}

int PhaseCatalog::indexOf(const QString &name) const
{
    for (int i = 0; i < m_phases.size(); ++i) {
        if (m_phases[i].name == name)
            return i;
    }
    return -1;
}

namespace {

// Where a phase new to `mine` goes: right after its parent's other children (a format that
// splits a shared phase, as SGLang does prefill, keeps the sub-phases beside it), else last.
int insertionPoint(const QVector<PhaseDefinition> &mine, const QVector<PhaseDefinition> &theirs, const QString &name)
{
    for (const PhaseDefinition &parent : theirs) {
        const int child = int(parent.children.indexOf(name));
        if (child < 0)
            continue;
        int after = -1;
        for (int i = 0; i < mine.size(); ++i) {
            if (mine[i].name == parent.name || parent.children.mid(0, child).contains(mine[i].name))
                after = i;
        }
        if (after >= 0)
            return after + 1;
    }
    return int(mine.size());
}

void mergeDefinitions(QVector<PhaseDefinition> &mine, const QVector<PhaseDefinition> &theirs)
{
    for (const PhaseDefinition &phase : theirs) {
        auto same = std::find_if(mine.begin(), mine.end(),
                                 [&phase](const PhaseDefinition &known) { return known.name == phase.name; });
        if (same == mine.end()) {
            mine.insert(insertionPoint(mine, theirs, phase.name), phase);
            continue;
        }
        for (const PhaseSpan &span : phase.spans) {
            const bool known = std::any_of(same->spans.begin(), same->spans.end(), [&span](const PhaseSpan &s) {
                return s.startStamp == span.startStamp && s.endStamp == span.endStamp && s.roles == span.roles;
            });
            if (!known)
                same->spans.append(span);
        }
        // A format may split a shared phase (SGLang's prefill): its sub-phases come along.
        for (const QString &child : phase.children) {
            if (!same->children.contains(child))
                same->children.append(child);
        }
    }
}

} // namespace

void PhaseCatalog::merge(const PhaseCatalog &other)
{
    mergeDefinitions(m_phases, other.m_phases);
    mergeDefinitions(m_totals, other.m_totals);
}

namespace {

PhaseSpan span(const char *start, const char *end, RoleMask roles)
{
    return PhaseSpan{QString::fromLatin1(start), QString::fromLatin1(end), roles};
}

// A phase of one start -> end span for `roles`.
PhaseDefinition phase(const char *name, const char *title, const char *start, const char *end, RoleMask roles,
                      quint32 color, PhaseDefinition::Group group, const char *description)
{
    PhaseDefinition definition;
    definition.name = QString::fromLatin1(name);
    definition.title = QString::fromLatin1(title);
    definition.description = QString::fromLatin1(description);
    definition.color = color;
    definition.group = group;
    definition.spans = {span(start, end, roles)};
    return definition;
}

// A segment of the time-to-first-token chain.
PhaseDefinition ttft(const char *name, const char *title, const char *start, const char *end, quint32 color,
                     const char *description, RoleMask roles = kAllRoles)
{
    return phase(name, title, start, end, roles, color, PhaseDefinition::TimeToFirstToken, description);
}

} // namespace

PhaseCatalog PhaseCatalog::trtllm()
{
    // Aggregated records keep their stamps under the ctx_ prefix, as time_breakdown does:
    // an aggregated worker runs the context phase itself.
    QVector<PhaseDefinition> phases{
        ttft("disagg_preprocessing", "Disagg Preprocessing", "disagg_server_arrival_time",
             "ctx_server_arrival_time", 0xFF607D83, "Disagg server: arrival until the context server receives the request"),
        ttft("ctx_preprocessing", "Context Preprocessing", "ctx_server_arrival_time", "ctx_arrival_time", 0xFFB0B681,
             "Context server: HTTP arrival until the executor enqueues the request (parsing, tokenization)"),
        ttft("ctx_queue", "Context Queue", "ctx_arrival_time", "ctx_first_scheduled_time", 0xFFFFB347,
             "Waiting in the executor queue until first scheduled"),
        ttft("ctx_processing", "Context Processing", "ctx_first_scheduled_time", "ctx_first_token_time", 0xFF6495ED,
             "Prefill: first scheduled until the engine produced the first token"),
        ttft("ctx_postprocessing", "Context Postprocessing", "ctx_first_token_time", "ctx_server_first_token_time",
             0xFFEAB3FF, "First token in the engine until the server sent it (detokenization, response)"),
        ttft("disagg_relay", "Disagg Relay", "ctx_server_first_token_time", "gen_server_arrival_time", 0xFF474546,
             "Context response back through the disagg server until the generation server receives the request"),
        ttft("gen_preprocessing", "Generation Preprocessing", "gen_server_arrival_time", "gen_arrival_time", 0xFFFFFF38,
             "Generation server: HTTP arrival until the executor enqueues the request"),
        ttft("gen_queue", "Generation Queue", "gen_arrival_time", "gen_first_scheduled_time", 0xFFFD3149,
             "Generation executor: arrival until first scheduled (queue wait + KV transfer + post transfer)"),
        ttft("gen_queue_wait", "Generation Queue Wait", "gen_arrival_time", "gen_kv_cache_transfer_start", 0xFFE94157,
             "Generation executor: arrival until the KV-cache transfer starts"),
        ttft("gen_kv_transfer", "Generation KV Transfer", "gen_kv_cache_transfer_start", "gen_kv_cache_transfer_end",
             0xFF4ECDC4, "KV-cache transfer from the context server"),
        ttft("gen_post_transfer", "Generation Post Transfer", "gen_kv_cache_transfer_end", "gen_first_scheduled_time",
             0xFFF66715, "KV-cache transfer done until first scheduled"),
        ttft("gen_postprocessing", "Generation Postprocessing", "gen_first_scheduled_time",
             "gen_server_first_token_time", 0xFF86FFA8,
             "Generation: first scheduled until the server sent the first token"),
        ttft("disagg_postprocessing", "Disagg Postprocessing", "gen_server_first_token_time",
             "disagg_server_first_token_time", 0xFFA29896,
             "First token from the generation server until the disagg server sent it"),
    };
    phases[7].children = {QStringLiteral("gen_queue_wait"), QStringLiteral("gen_kv_transfer"),
                          QStringLiteral("gen_post_transfer")};

    PhaseDefinition decode;
    decode.name = QStringLiteral("decode");
    decode.title = QStringLiteral("Decode");
    decode.description = QStringLiteral("Engine first token until last token");
    decode.color = 0xFF199365;
    decode.group = PhaseDefinition::Lifecycle;
    decode.spans = {
        PhaseSpan{QStringLiteral("gen_first_token_time"), QStringLiteral("gen_last_token_time"),
                  RoleMask(roleBit(Role::Disaggregated) | roleBit(Role::Generation))},
        PhaseSpan{QStringLiteral("ctx_first_token_time"), QStringLiteral("ctx_last_token_time"),
                  roleBit(Role::Aggregated)},
    };
    phases.append(decode);

    const RoleMask aggregated = roleBit(Role::Aggregated);
    const RoleMask disaggregated = RoleMask(roleBit(Role::Disaggregated));
    PhaseDefinition ttftTotal;
    ttftTotal.name = QStringLiteral("ttft");
    ttftTotal.title = QStringLiteral("Time to First Token");
    ttftTotal.description = QStringLiteral("Arrival at the outermost server until it sent the first token");
    ttftTotal.color = 0xFF1F77B4;
    ttftTotal.spans = {
        span("disagg_server_arrival_time", "disagg_server_first_token_time", disaggregated),
        span("ctx_server_arrival_time", "ctx_server_first_token_time", aggregated),
        span("ctx_arrival_time", "ctx_first_token_time", aggregated),
    };
    PhaseDefinition endToEnd;
    endToEnd.name = QStringLiteral("e2e");
    endToEnd.title = QStringLiteral("End to End");
    endToEnd.description = QStringLiteral("Arrival at the outermost server until the engine produced the last token");
    endToEnd.color = 0xFF7F7F7F;
    endToEnd.group = PhaseDefinition::Lifecycle;
    endToEnd.spans = {
        span("disagg_server_arrival_time", "gen_last_token_time", disaggregated),
        span("ctx_server_arrival_time", "ctx_last_token_time", aggregated),
        span("ctx_arrival_time", "ctx_last_token_time", aggregated),
    };
    return PhaseCatalog(std::move(phases), {ttftTotal, endToEnd});
}

PhaseCatalog PhaseCatalog::common()
{
    const RoleMask client = roleBit(Role::Client);
    const RoleMask server = RoleMask(kAllRoles & ~client);
    constexpr auto chain = PhaseDefinition::TimeToFirstToken;
    constexpr auto lifecycle = PhaseDefinition::Lifecycle;
    QVector<PhaseDefinition> phases{
        phase("client_wait", "Client Wait", "client_enqueued", "client_sent", client, 0xFFC09E9E, chain,
              "Load generator: request created until it was sent (client-side queueing)"),
        phase("client_ttft", "Client Time to First Token", "client_sent", "client_first_token", client, 0xFF035FA2,
              chain, "Client: request sent until the first output token arrived (server and network)"),
        phase("client_response_wait", "Response Wait", "client_sent", "client_response_start", client, 0xFFF36715,
              chain, "Client: request sent until the response stream opened"),
        phase("client_first_token_wait", "First Token Wait", "client_response_start", "client_first_token", client,
              0xFF59B4C3, chain, "Client: response stream opened until the first output token arrived"),
        phase("frontend", "Frontend Preprocessing", "server_received", "engine_enqueued", server, 0xFFB0B681, chain,
              "Server: request received until the tokenised request entered the scheduler queue"),
        phase("queue", "Queue", "engine_enqueued", "scheduled", server, 0xFFFFB347, chain,
              "Waiting in the scheduler queue until first admitted to a batch"),
        phase("prefill", "Prefill", "scheduled", "first_token", server, 0xFF6495ED, chain,
              "First scheduled until the engine produced the first token"),
        phase("first_token_postprocessing", "First Token Postprocessing", "first_token", "first_token_sent", server,
              0xFFEAB3FF, chain, "First token in the engine until the server sent it"),
        phase("decode", "Decode", "first_token", "last_token", server, 0xFF199365, lifecycle,
              "First token until last token"),
        phase("finish", "Finish", "last_token", "server_finished", server, 0xFF7B8182, lifecycle,
              "Last token until the server finished the request (detokenisation, response)"),
        phase("client_tail", "Client Tail", "client_last_token", "client_end", client, 0xFF836A36, lifecycle,
              "Client: last output token until the response was complete"),
    };
    phases[1].children = {QStringLiteral("client_response_wait"), QStringLiteral("client_first_token_wait")};
    phases[8].spans.append(PhaseSpan{QStringLiteral("client_first_token"), QStringLiteral("client_last_token"), client});
    // Clients that stop their clock only once the response is complete (llmperf) record no last
    // token: their decode runs to the end, and says so (describeSpan).
    phases[8].spans.append(PhaseSpan{QStringLiteral("client_first_token"), QStringLiteral("client_end"), client});

    PhaseDefinition ttftTotal = phase("ttft", "Time to First Token", "client_sent", "client_first_token", client,
                                      0xFF1F77B4, chain,
                                      "Client: sent until the first token arrived; server: received until the "
                                      "first token was sent (or produced)");
    ttftTotal.spans += {span("server_received", "first_token_sent", server), span("server_received", "first_token", server),
                        span("engine_enqueued", "first_token", server)};
    PhaseDefinition endToEnd = phase("e2e", "End to End", "client_sent", "client_end", client, 0xFF7F7F7F, lifecycle,
                                     "Client: sent until the response was complete; server: received until finished "
                                     "(or the last token)");
    endToEnd.spans += {span("client_sent", "client_last_token", client), span("server_received", "server_finished", server),
                       span("server_received", "last_token", server), span("engine_enqueued", "last_token", server)};
    return PhaseCatalog(std::move(phases), {ttftTotal, endToEnd});
}

PhaseCatalog PhaseCatalog::sglang()
{
    const PhaseCatalog common = PhaseCatalog::common();
    QVector<PhaseDefinition> phases = common.all();
    const RoleMask server = RoleMask(kAllRoles & ~roleBit(Role::Client));
    // No last-token stamp in SGLang's export: decode then ends where the request finished.
    phases[common.indexOf(QStringLiteral("decode"))].spans.append(
        PhaseSpan{QStringLiteral("first_token"), QStringLiteral("server_finished"), server});
    const int prefill = common.indexOf(QStringLiteral("prefill"));
    phases[prefill].children = {QStringLiteral("prefill_launch_delay"), QStringLiteral("prefill_forward")};
    phases.insert(prefill + 1, ttft("prefill_launch_delay", "Prefill Launch Delay", "scheduled", "prefill_start",
                                    0xFF6B96FF, "SGLang: admitted to the running batch until its prefill batch launched",
                                    server));
    phases.insert(prefill + 2, ttft("prefill_forward", "Prefill Forward", "prefill_start", "first_token", 0xFF7D4EF9,
                                    "SGLang: prefill batch launched until the first token was produced", server));
    return PhaseCatalog(std::move(phases), common.totals());
}

} // namespace Phaseline
