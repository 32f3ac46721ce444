#include "formats/csvimporter.h"

#include "core/csvreader.h"
#include "formats/loadcontrol.h"
#include "core/mappedfile.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

namespace Phaseline {

namespace {

using Kind = CsvColumnMapping::Kind;
using Unit = CsvColumnMapping::Unit;

constexpr int kPreviewRows = 50;
const QString kStampPrefix = QStringLiteral("stamp:");
const QString kLabelPrefix = QStringLiteral("label:");

// --- the catalogue ------------------------------------------------------------------

// A server-lane phase (PhaseDefinition is an aggregate: name, title, description, colour,
// group, spans, children).
PhaseDefinition definition(const char *name, const char *title, const char *start, const char *end, quint32 color,
                           PhaseDefinition::Group group, const char *description)
{
    const RoleMask server = RoleMask(kAllRoles & ~roleBit(Role::Client));
    return PhaseDefinition{QString::fromLatin1(name), QString::fromLatin1(title), QString::fromLatin1(description),
                           color, group, {PhaseSpan{QString::fromLatin1(start), QString::fromLatin1(end), server}}, {}};
}

PhaseCatalog buildCatalog()
{
    const PhaseCatalog common = PhaseCatalog::common();
    QVector<PhaseDefinition> phases = common.all();
    constexpr auto chain = PhaseDefinition::TimeToFirstToken;
    PhaseDefinition serverTtft =
        definition("server_ttft", "Server Time to First Token", "server_received", "first_token", 0xFF5B8DEF, chain,
                   "Server: request received (created) until the engine produced the first token");
    // Frontend, queue and prefill tile it where a server records their stamps.
    serverTtft.children = {QStringLiteral("frontend"), QStringLiteral("queue"), QStringLiteral("prefill")};
    const QVector<PhaseDefinition> before{
        definition("routing", "Routing", "router_arrival", "router_forwarded", 0xFFE0C080, chain,
                   "Arrival at the router (or the test's entry point) until it forwarded the request to a server"),
        definition("forward", "Forward to Server", "router_forwarded", "server_received", 0xFF9E9E9E, chain,
                   "Forwarded until the server created the request (network, HTTP; two hosts' clocks)"),
        serverTtft,
    };
    const int frontend = common.indexOf(QStringLiteral("frontend"));
    for (int i = 0; i < before.size(); ++i)
        phases.insert(frontend + i, before[i]);
    phases.append(definition("response", "Generation and Response", "first_token", "router_finished", 0xFF66BB6A,
                             PhaseDefinition::Lifecycle,
                             "First token produced until the request finished at the router (decode, detokenisation, "
                             "network back)"));

    QVector<PhaseDefinition> totals = common.totals();
    const RoleMask server = RoleMask(kAllRoles & ~roleBit(Role::Client));
    for (PhaseDefinition &total : totals) {
        // Last: a server's own end to end wins where it recorded one.
        if (total.name == QLatin1String("e2e"))
            total.spans.append(PhaseSpan{QStringLiteral("router_arrival"), QStringLiteral("router_finished"), server});
    }
    // The test client's TTFT (from forwarding/sending) beside the server's.
    totals.append(definition("router_ttft", "Time to First Token (test client)", "router_forwarded",
                             "router_first_token", 0xFF2CA02C, chain,
                             "Router/node test client: request sent until its first token arrived"));
    return PhaseCatalog(phases, totals);
}

const PhaseCatalog &csvCatalog()
{
    static const PhaseCatalog catalog = buildCatalog();
    return catalog;
}

// A Phaseline request-table export names its phases and totals in its header, in catalogue
// order: exactly those are rebuilt, from whichever catalogue defines them, so the file reopens
// to the phases it was written with (none lost, none invented).
PhaseCatalog exportedCatalog(const QStringList &header, bool trtllmFirst)
{
    PhaseCatalog known = trtllmFirst ? PhaseCatalog::trtllm() : PhaseCatalog::sglang();
    known.merge(csvCatalog());
    known.merge(trtllmFirst ? PhaseCatalog::sglang() : PhaseCatalog::trtllm());
    QVector<PhaseDefinition> phases, totals;
    for (const QString &name : header) {
        const int phase = known.indexOf(name);
        if (phase >= 0)
            phases << known.at(phase);
        for (const PhaseDefinition &total : known.totals()) {
            if (total.name == name)
                totals << total;
        }
    }
    return PhaseCatalog(phases, totals);
}

QStringList stampsOf(const PhaseCatalog &catalog)
{
    QStringList names;
    for (const QVector<PhaseDefinition> *list : {&catalog.all(), &catalog.totals()}) {
        for (const PhaseDefinition &phase : *list) {
            for (const PhaseSpan &span : phase.spans) {
                for (const QString &stamp : {span.startStamp, span.endStamp}) {
                    if (!names.contains(stamp))
                        names << stamp;
                }
            }
        }
    }
    return names;
}

QStringList phaseNamesOf(const PhaseCatalog &catalog)
{
    QStringList names;
    for (const PhaseDefinition &phase : catalog.all() + catalog.totals())
        names << phase.name;
    return names;
}

// --- recognising columns ------------------------------------------------------------

struct Alias
{
    const char *names; // '|'-separated, normalised (lower case, unit suffix removed)
    Kind kind;
    const char *target;
};

// The router/node test CSV (seeds/001): stamps are time.time() epoch seconds; derived
// durations are differences of them. queue_time there means router queueing.
const Alias kRouterAliases[] = {
    {"arrival_time", Kind::Stamp, "router_arrival"},
    {"to_server_time|send_time", Kind::Stamp, "router_forwarded"},
    {"server_created_time", Kind::Stamp, "server_received"},
    {"queue_time_start", Kind::Stamp, "engine_enqueued"},
    {"queue_time_end", Kind::Stamp, "scheduled"},
    {"server_first_token_time", Kind::Stamp, "first_token"},
    {"finish_time|completion_time", Kind::Stamp, "router_finished"},
    {"ttft", Kind::Duration, "router_ttft"},
    {"server_latency", Kind::Duration, "router_forwarded>router_finished"},
    {"total_latency", Kind::Duration, "router_arrival>router_finished"},
    {"queue_time|queue_time_in_router", Kind::Duration, "routing"},
    {"queue_time_in_server", Kind::Duration, "server_ttft"},
    {"pure_queue_time", Kind::Duration, "queue"},
};

const Alias kGenericAliases[] = {
    {"id|request_id|req_id|rid|requestid|request", Kind::Id, ""},
    {"role", Kind::Role, ""},
    {"status|success|error|outcome", Kind::Label, "status"},
    {"server|host|server_url|worker|backend|endpoint|target_server", Kind::Label, "server"},
    {"source|clock|model|model_name", Kind::Label, nullptr}, // the column's own name
    {"input_tokens|input_len|prompt_len|prompt_tokens|num_prompt_tokens", Kind::Attribute, "input_tokens"},
    {"output_tokens|output_len|completion_tokens|generated_tokens|num_output_tokens", Kind::Attribute, "output_tokens"},
    {"cached_tokens", Kind::Attribute, "cached_tokens"},
    // A benchmark client's own request log: when it launched a request, saw its first token and
    // saw it finish (its generation_time is recognised by value, see recogniseGenerationTime).
    {"launch_time|send_time|sent_time|request_start_time|start_time", Kind::Stamp, "client_sent"},
    {"first_token_time", Kind::Stamp, "client_first_token"},
    {"finish_time|end_time|completion_time|request_end_time", Kind::Stamp, "client_end"},
    {"time_to_first_token", Kind::Duration, "ttft"},
    {"e2e_latency|latency|end_to_end_latency|request_latency", Kind::Duration, "e2e"},
    {"queue_time", Kind::Duration, "queue"},
    {"prefill_time", Kind::Duration, "prefill"},
    {"decode_time", Kind::Duration, "decode"},
};

struct Header
{
    QString normalised;
    std::optional<Unit> unit; // from a suffix such as _ms or "(ms)"
};

// "TTFT (ms)" -> "ttft", ms; "queue_time_start" -> as is.
Header normalise(const QString &name)
{
    static const QRegularExpression unitSuffix(
        QStringLiteral("^(.*?)[ _]*(?:[\\(\\[](s|sec|seconds|ms|us|µs|ns)[\\)\\]]|_(s|sec|seconds|ms|us|ns))$"));
    Header header;
    QString text = name.trimmed().toLower();
    text.replace(QLatin1Char(' '), QLatin1Char('_'));
    const QRegularExpressionMatch match = unitSuffix.match(text);
    if (match.hasMatch() && !match.captured(1).isEmpty()) {
        const QString unit = match.captured(2).isEmpty() ? match.captured(3) : match.captured(2);
        text = match.captured(1);
        if (unit == QLatin1String("ms"))
            header.unit = Unit::Milliseconds;
        else if (unit == QLatin1String("us") || unit == QStringLiteral("µs"))
            header.unit = Unit::Microseconds;
        else if (unit == QLatin1String("ns"))
            header.unit = Unit::Nanoseconds;
        else
            header.unit = Unit::Seconds;
    }
    header.normalised = text;
    return header;
}

const Alias *findAlias(const Alias *begin, const Alias *end, const QString &name)
{
    for (const Alias *alias = begin; alias != end; ++alias) {
        if (QString::fromLatin1(alias->names).split(QLatin1Char('|')).contains(name))
            return alias;
    }
    return nullptr;
}

enum class NumberText { Finite, OutOfRange, NotANumber };

// A decimal or exponent number, correctly rounded and locale-free. QString::toDouble was 70%
// of a CSV load (callgrind, 200k-row router CSV: 3.0 s, with from_chars 1.1 s). "1e400", "inf"
// and "-inf" are numbers, but no value a double holds: OutOfRange.
NumberText readNumber(const QString &text, double *value)
{
    char buffer[64];
    const qsizetype size = text.size();
    if (size == 0 || size >= qsizetype(sizeof buffer))
        return NumberText::NotANumber;
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = text[i].unicode();
        if (c > 0x7F)
            return NumberText::NotANumber;
        buffer[i] = char(c);
    }
    const char *begin = buffer[0] == '+' ? buffer + 1 : buffer;
    const std::from_chars_result parsed = std::from_chars(begin, buffer + size, *value);
    if (parsed.ptr != buffer + size || (parsed.ec != std::errc() && parsed.ec != std::errc::result_out_of_range))
        return NumberText::NotANumber;
    return parsed.ec == std::errc() && std::isfinite(*value) ? NumberText::Finite : NumberText::OutOfRange;
}

bool parseNumber(const QString &text, double *value)
{
    return readNumber(text, value) == NumberText::Finite;
}

// Missing markers Python and spreadsheets write.
bool isMissingText(const QString &text)
{
    return text.isEmpty() || text.compare(QLatin1String("nan"), Qt::CaseInsensitive) == 0
        || text == QLatin1String("None") || text.compare(QLatin1String("null"), Qt::CaseInsensitive) == 0
        || text == QLatin1String("-");
}

std::vector<double> numbersOf(const CsvPreview &preview, int column)
{
    std::vector<double> values;
    for (const QStringList &row : preview.rows) {
        double value = 0;
        if (column < row.size() && parseNumber(row[column], &value))
            values.push_back(value);
    }
    return values;
}

double medianOf(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return std::abs(values[values.size() / 2]);
}

// Epoch magnitudes (2001 onward) tell the unit of an absolute stamp.
Unit stampUnitByValue(double median)
{
    if (median > 1e17)
        return Unit::Nanoseconds;
    if (median > 1e14)
        return Unit::Microseconds;
    if (median > 1e11)
        return Unit::Milliseconds;
    return Unit::Seconds;
}

bool isEpochLike(double seconds)
{
    return seconds > 1e9 && seconds < 1e10;
}

// A duration with no unit in its name: seconds unless the values are implausible as seconds.
Unit durationUnitByValue(double median)
{
    if (median < 100)
        return Unit::Seconds;
    if (median < 1e5)
        return Unit::Milliseconds;
    if (median < 1e8)
        return Unit::Microseconds;
    return Unit::Nanoseconds;
}

QString describeUnitGuess(const QString &column, Unit unit, double median)
{
    return QStringLiteral("column \"%1\" names no unit: read as %2, because the median of its first values is %3 "
                          "(the guess: below 100 s, below 1e5 ms, below 1e8 us, else ns); if that is wrong, put the "
                          "unit in the header, e.g. \"%1_ms\", or say --csv-unit %1=ms")
        .arg(column, CsvColumnMapping::unitName(unit))
        .arg(median, 0, 'g', 6);
}

bool isNumericColumn(const CsvPreview &preview, int column)
{
    bool any = false;
    for (const QStringList &row : preview.rows) {
        if (column >= row.size() || isMissingText(row[column]))
            continue;
        double value = 0;
        if (!parseNumber(row[column], &value))
            return false;
        any = true;
    }
    return any;
}

// Stamps that are no epoch times and whose smallest value is 0 in every row are relative to
// each request's own start (a 0 on a clock shared by the file would be a single request).
bool startsEveryRowAtZero(const CsvPreview &preview, const CsvColumnMapping &mapping)
{
    bool anyRow = false;
    for (const QStringList &row : preview.rows) {
        double earliest = std::numeric_limits<double>::infinity();
        for (int i = 0; i < mapping.columns.size() && i < row.size(); ++i) {
            double value = 0;
            const bool ok = parseNumber(row[i], &value);
            value *= CsvColumnMapping::secondsPer(mapping.columns[i].unit);
            if (mapping.columns[i].kind == Kind::Stamp && ok) {
                if (isEpochLike(value))
                    return false;
                earliest = std::min(earliest, value);
            }
        }
        if (std::isinf(earliest))
            continue;
        if (earliest != 0)
            return false;
        anyRow = true;
    }
    return anyRow && preview.rows.size() > 1;
}

// generation_time beside start and finish stamps: the whole request (finish - start) or what
// followed the first token (finish - start - ttft)? The first rows' values say which; neither
// (or no stamps to compare with) keeps the numbers as an attribute rather than guess.
void recogniseGenerationTime(const CsvPreview &preview, const QVector<Header> &headers, CsvColumnMapping *mapping,
                             QStringList *unitGuesses)
{
    int generation = -1, start = -1, finish = -1, ttft = -1;
    for (int i = 0; i < mapping->columns.size(); ++i) {
        const CsvColumnMapping::Column &column = mapping->columns[i];
        if (QStringList{QStringLiteral("generation_time"), QStringLiteral("generation_latency")}.contains(headers[i].normalised))
            generation = i;
        else if (column.kind == Kind::Stamp && column.target == QLatin1String("client_sent"))
            start = i;
        else if (column.kind == Kind::Stamp && column.target == QLatin1String("client_end"))
            finish = i;
        else if (column.kind == Kind::Duration && column.target == QLatin1String("ttft"))
            ttft = i;
    }
    if (generation < 0)
        return;
    CsvColumnMapping::Column &column = mapping->columns[generation];
    const double median = medianOf(numbersOf(preview, generation));
    const Unit unit = headers[generation].unit.value_or(durationUnitByValue(median));
    int wholeRows = 0, afterFirstRows = 0, compared = 0;
    for (const QStringList &row : preview.rows) {
        auto seconds = [&](int at) {
            double value = 0;
            if (at < 0 || at >= row.size() || !parseNumber(row[at], &value))
                return kMissing;
            return value * CsvColumnMapping::secondsPer(mapping->columns[at].unit);
        };
        double given = 0;
        if (generation >= row.size() || !parseNumber(row[generation], &given))
            continue;
        given *= CsvColumnMapping::secondsPer(unit);
        const double whole = seconds(finish) - seconds(start);
        if (isMissing(whole))
            continue;
        ++compared;
        // Stamps written to the microsecond, durations rounded to the millisecond: 1 ms or 0.1 %.
        auto near = [given](double value) { return std::abs(value - given) <= std::max(1e-3, 1e-3 * std::abs(value)); };
        wholeRows += near(whole);
        afterFirstRows += near(whole - seconds(ttft));
    }
    if (compared > 0 && wholeRows * 2 > compared) {
        column = {Kind::Duration, QStringLiteral("e2e"), unit};
    } else if (compared > 0 && afterFirstRows * 2 > compared) {
        column = {Kind::Duration, QStringLiteral("client_first_token>client_end"), unit};
    } else {
        column = {Kind::Attribute, headers[generation].normalised, unit};
        return;
    }
    if (!headers[generation].unit && unitGuesses)
        *unitGuesses << describeUnitGuess(preview.header[generation], unit, median);
}

bool isRouterTest(const QStringList &normalised)
{
    return normalised.contains(QLatin1String("arrival_time")) && normalised.contains(QLatin1String("finish_time"));
}

bool isPhaselineExport(const QStringList &header)
{
    return header.size() >= 4 && header[0] == QLatin1String("id") && header[1] == QLatin1String("role")
        && header[2] == QLatin1String("server") && header[3] == QLatin1String("status");
}

// --- reading values -----------------------------------------------------------------

// Plain decimal seconds ("1758000000.123456789") as exact integer nanoseconds; anything
// else (exponents, signs, more than 9 decimals) is left to the double path.
std::optional<qint64> decimalSecondsToNanoseconds(const QString &text)
{
    qint64 whole = 0, fraction = 0;
    int wholeDigits = 0, fractionDigits = 0;
    bool inFraction = false;
    for (QChar c : text) {
        if (c == QLatin1Char('.') && !inFraction) {
            inFraction = true;
        } else if (c.isDigit() && (inFraction ? fractionDigits < 9 : wholeDigits < 10)) {
            qint64 &value = inFraction ? fraction : whole;
            value = value * 10 + c.digitValue();
            ++(inFraction ? fractionDigits : wholeDigits);
        } else {
            return std::nullopt;
        }
    }
    // Beyond any stamp (and near qint64's limit): the double path reports it as out of range.
    if (wholeDigits == 0 || whole > qint64(kLatestStampSeconds))
        return std::nullopt;
    for (int i = fractionDigits; i < 9; ++i)
        fraction *= 10;
    return whole * 1000000000 + fraction;
}

// Seconds written as plain decimals, or integer nanoseconds: exact (epoch ns exceed 2^53).
std::optional<qint64> exactNanoseconds(const QString &text, double secondsPerUnit)
{
    if (secondsPerUnit == 1)
        return decimalSecondsToNanoseconds(text);
    bool ok = false;
    const qint64 nanoseconds = text.toLongLong(&ok);
    return ok && secondsPerUnit == 1e-9 ? std::optional<qint64>(nanoseconds) : std::nullopt;
}

struct ResolvedColumn
{
    Kind kind = Kind::Ignore;
    int index = -1;         // table column (stamp, attribute, label)
    double secondsPer = 1;  // stamps and durations
    bool absoluteStamp = false; // integer/decimal text read exactly to the nanosecond
    // Durations: candidate spans (start, end stamp index in `stampNames`) by role.
    QVector<QPair<RoleMask, QPair<int, int>>> spans;
    static constexpr int kNotAPhase = 1 << 20;
    int order = kNotAPhase; // durations of phases: catalogue position (placing order)
    QString name; // header text, for messages and spare attributes
    int spareAttribute = -1; // a duration that could not be placed is kept here (ms)
};

struct RowDuration
{
    size_t column;
    double seconds;
    bool placed;
};

// Durations place the stamps they connect to placed ones, one at a time: phases in
// catalogue order first (they tile), totals and explicit spans only where no phase could.
// A total's span whose ends are placed and agree with it is taken as is; otherwise one of its
// spans with one end placed places the other (ttft longer than queue + prefill: the rest is
// frontend time). With no stamp at all, the first phase's start
// (else the longest duration's) is the request's 0 (aligned clock). Durations left
// unconnected come back with placed = false.
void placeDurations(const std::vector<ResolvedColumn> &columns, const std::vector<double> &durations, Role role,
                    std::vector<double> *placed, std::vector<RowDuration> *rowDurations)
{
    rowDurations->clear();
    for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c].kind == Kind::Duration && !isMissing(durations[c]))
            rowDurations->push_back(RowDuration{c, durations[c], false});
    }
    std::stable_sort(rowDurations->begin(), rowDurations->end(), [&](const RowDuration &a, const RowDuration &b) {
        return columns[a.column].order < columns[b.column].order;
    });
    auto spansOf = [&](const RowDuration &duration) {
        QVector<QPair<int, int>> spans;
        for (const auto &span : columns[duration.column].spans) {
            if (span.first & roleBit(role))
                spans << span.second;
        }
        return spans;
    };
    auto isPlaced = [placed](int slot) { return !isMissing((*placed)[size_t(slot)]); };
    if (!rowDurations->empty() && std::none_of(placed->begin(), placed->end(), [](double s) { return !isMissing(s); })) {
        const RowDuration *anchor = &rowDurations->front();
        if (columns[anchor->column].order == ResolvedColumn::kNotAPhase) {
            anchor = &*std::max_element(rowDurations->begin(), rowDurations->end(),
                                        [](const RowDuration &a, const RowDuration &b) { return a.seconds < b.seconds; });
        }
        const QVector<QPair<int, int>> spans = spansOf(*anchor);
        if (!spans.isEmpty())
            (*placed)[size_t(spans.first().first)] = 0;
    }
    for (bool progress = true; progress;) {
        progress = false;
        for (RowDuration &duration : *rowDurations) {
            if (duration.placed)
                continue;
            const QVector<QPair<int, int>> spans = spansOf(duration);
            auto length = [placed](const QPair<int, int> &span) {
                return (*placed)[size_t(span.second)] - (*placed)[size_t(span.first)];
            };
            // Both ends placed and the same length: the duration says nothing new.
            const bool agrees = std::any_of(spans.begin(), spans.end(), [&](const QPair<int, int> &span) {
                return isPlaced(span.first) && isPlaced(span.second) && std::abs(length(span) - duration.seconds) < 1e-6;
            });
            const auto one = std::find_if(spans.begin(), spans.end(), [&](const QPair<int, int> &span) {
                return isPlaced(span.first) != isPlaced(span.second);
            });
            if (agrees || one == spans.end()) {
                // A disagreeing span with both ends placed keeps the stamps; nothing else to place.
                duration.placed = agrees || std::any_of(spans.begin(), spans.end(), [&](const QPair<int, int> &span) {
                    return isPlaced(span.first) && isPlaced(span.second);
                });
                continue;
            }
            if (isPlaced(one->first))
                (*placed)[size_t(one->second)] = (*placed)[size_t(one->first)] + duration.seconds;
            else
                (*placed)[size_t(one->first)] = (*placed)[size_t(one->second)] - duration.seconds;
            duration.placed = progress = true;
            break; // phases before totals again
        }
    }
}

Role parseRole(const QString &text, bool *ok)
{
    for (int role = 0; role < kRoleCount; ++role) {
        if (roleName(Role(role)).compare(text, Qt::CaseInsensitive) == 0) {
            *ok = true;
            return Role(role);
        }
    }
    *ok = false;
    return Role::Aggregated;
}

QString statusText(const QString &text)
{
    const QString lower = text.toLower();
    if (text.isEmpty() || lower == QLatin1String("true") || lower == QLatin1String("ok")
        || lower == QLatin1String("success") || lower == QLatin1String("1"))
        return QStringLiteral("ok");
    if (lower == QLatin1String("false") || lower == QLatin1String("0"))
        return QStringLiteral("failed");
    return text;
}

} // namespace

// --- CsvImporter ----------------------------------------------------------------------

QStringList CsvImporter::stampNames()
{
    return stampsOf(csvCatalog());
}

QStringList CsvImporter::durationNames()
{
    return phaseNamesOf(csvCatalog());
}

QString CsvImporter::formatName() const
{
    return QStringLiteral("CSV request table");
}

bool CsvImporter::sniff(std::string_view content) const
{
    // A header line of at least two separated names, no JSON, no Prometheus comments, no
    // control bytes: the last format tried, so anything more specific has had its chance.
    const CsvPreview preview = readCsvPreview(content.substr(0, std::min<size_t>(content.size(), 1 << 16)), 1);
    // A first row with another field count: prose with a comma, not a table.
    const bool rowsFit = preview.rows.isEmpty() || preview.rows.first().size() == preview.header.size();
    if (preview.header.size() < 2 || !rowsFit || preview.headerLine.startsWith(QLatin1Char('{'))
        || preview.headerLine.startsWith(QLatin1Char('[')) || preview.headerLine.startsWith(QLatin1Char('#')))
        return false;
    const QByteArray head = QByteArray::fromRawData(content.data(), qsizetype(std::min<size_t>(content.size(), 4096)));
    const bool binary = std::any_of(head.begin(), head.end(), [](char c) {
        return (unsigned char)c < 0x20 && c != '\n' && c != '\r' && c != '\t';
    });
    const bool namedColumns = std::all_of(preview.header.begin(), preview.header.end(),
                                          [](const QString &name) { return name.size() < 200; });
    return !binary && namedColumns;
}

CsvColumnMapping CsvImporter::recognise(const CsvPreview &preview, QString *preset, QStringList *unitGuesses)
{
    CsvColumnMapping mapping;
    QStringList normalised;
    QVector<Header> headers;
    for (const QString &name : preview.header) {
        headers << normalise(name);
        normalised << headers.last().normalised;
    }
    const bool router = isRouterTest(normalised);
    const bool exported = isPhaselineExport(preview.header);
    const QStringList stamps = stampsOf(csvCatalog()) + stampsOf(PhaseCatalog::trtllm());
    const QStringList phases =
        phaseNamesOf(csvCatalog()) + phaseNamesOf(PhaseCatalog::trtllm()) + phaseNamesOf(PhaseCatalog::sglang());
    if (preset)
        *preset = exported ? QStringLiteral("Phaseline request table")
                           : router ? QStringLiteral("router/node test") : QStringLiteral("columns by name");

    for (int i = 0; i < preview.header.size(); ++i) {
        const QString &raw = preview.header[i];
        const Header &header = headers[i];
        CsvColumnMapping::Column column;
        const Alias *alias = router ? findAlias(std::begin(kRouterAliases), std::end(kRouterAliases), header.normalised)
                                    : nullptr;
        if (!alias)
            alias = findAlias(std::begin(kGenericAliases), std::end(kGenericAliases), header.normalised);
        if (raw.startsWith(kStampPrefix)) {
            column.kind = Kind::Stamp;
            column.target = raw.mid(kStampPrefix.size());
        } else if (raw.startsWith(kLabelPrefix)) {
            column.kind = Kind::Label;
            column.target = raw.mid(kLabelPrefix.size());
        } else if (exported && i < 4) {
            // id, role, server, status. The server column joins the server labels; newer exports
            // write each again as a label: column, older ones have only the joined text.
            const bool joinedOnly = std::none_of(preview.header.begin(), preview.header.end(),
                                                 [](const QString &name) { return name.startsWith(kLabelPrefix); });
            const Kind kinds[] = {Kind::Id, Kind::Role, joinedOnly ? Kind::Label : Kind::Ignore, Kind::Label};
            column.kind = kinds[i];
            column.target = i == 3 ? QStringLiteral("status") : i == 2 ? QStringLiteral("server") : QString();
        } else if (exported && phases.contains(raw)) {
            column.kind = Kind::Duration;
            column.target = raw;
            column.unit = Unit::Milliseconds; // the export writes milliseconds
        } else if (exported) {
            column.kind = isNumericColumn(preview, i) && raw != QLatin1String("clock") && raw != QLatin1String("source")
                ? Kind::Attribute
                : Kind::Label;
            column.target = raw;
        } else if (alias) {
            column.kind = alias->kind;
            column.target = alias->target ? QString::fromLatin1(alias->target) : header.normalised;
        } else if (stamps.contains(header.normalised)) {
            column.kind = Kind::Stamp;
            column.target = header.normalised;
        } else if (phases.contains(header.normalised)) {
            column.kind = Kind::Duration;
            column.target = header.normalised;
        }
        const double median = medianOf(numbersOf(preview, i));
        if (column.kind == Kind::Stamp && !exported)
            column.unit = header.unit.value_or(stampUnitByValue(median));
        else if (column.kind == Kind::Duration && !exported)
            column.unit = header.unit.value_or(router ? Unit::Seconds : durationUnitByValue(median));
        if (column.kind == Kind::Duration && !exported && !router && !header.unit && unitGuesses)
            *unitGuesses << describeUnitGuess(raw, column.unit, median);
        mapping.columns.append(column);
    }

    if (router) {
        // SGLang's scheduler queue stamps are perf_counter readings in some builds: a different
        // clock from the epoch stamps around them. Placed only when they are epoch times too.
        for (int i = 0; i < mapping.columns.size(); ++i) {
            CsvColumnMapping::Column &column = mapping.columns[i];
            const bool queueStamp = column.kind == Kind::Stamp
                && (column.target == QLatin1String("engine_enqueued") || column.target == QLatin1String("scheduled"));
            if (queueStamp && !isEpochLike(medianOf(numbersOf(preview, i)) * CsvColumnMapping::secondsPer(column.unit))) {
                column.kind = Kind::Attribute;
                column.target = headers[i].normalised;
            }
        }
    }
    if (!exported && !router)
        recogniseGenerationTime(preview, headers, &mapping, unitGuesses);
    if (!exported)
        mapping.absoluteStamps = !startsEveryRowAtZero(preview, mapping);
    return mapping;
}

FileImport CsvImporter::import(MappedFile &file, const QString &inputName, LoadControl *control) const
{
    const std::string_view content(file.data(), file.size());
    const CsvPreview preview = readCsvPreview(content, kPreviewRows);
    if (control) {
        const auto chosen = control->csvMappings.constFind(preview.headerLine);
        if (chosen != control->csvMappings.constEnd())
            return importWithMapping(content, inputName, *chosen, control);
    }
    QStringList unitGuesses;
    CsvColumnMapping mapping = recognise(preview, nullptr, &unitGuesses);
    if (control) {
        for (int i = 0; i < mapping.columns.size(); ++i) {
            const auto given = control->csvUnits.constFind(preview.header[i]);
            CsvColumnMapping::Column &column = mapping.columns[i];
            if (given == control->csvUnits.constEnd() || (column.kind != Kind::Stamp && column.kind != Kind::Duration))
                continue;
            column.unit = *given;
            const QString quoted = QLatin1Char('"') + preview.header[i] + QLatin1Char('"');
            unitGuesses.erase(std::remove_if(unitGuesses.begin(), unitGuesses.end(),
                                             [&](const QString &guess) { return guess.contains(quoted); }),
                              unitGuesses.end());
        }
    }
    if (!mapping.hasTiming()) {
        FileImport failed;
        failed.needsColumnMapping = true;
        failed.issues.append(LoadIssue{
            LoadIssue::Error, inputName, 1, 0,
            QStringLiteral("CSV columns not recognised: no timestamp or duration column among the header's %1 columns "
                           "(%2); open the file in the Phaseline window to say what each column holds")
                .arg(preview.header.size())
                .arg(preview.header.join(QStringLiteral(", ")))});
        return failed;
    }
    FileImport result = importWithMapping(content, inputName, mapping, control);
    for (const QString &guess : unitGuesses)
        result.issues.prepend(LoadIssue{LoadIssue::Warning, inputName, 1, -1, guess});
    return result;
}

namespace {

// Plan: what each column of a mapped CSV becomes in the table (whose columns it adds).
struct CsvPlan
{
    QStringList header;
    std::vector<ResolvedColumn> columns;
    int stampCount = 0;
    int statusLabel = -1, clockLabel = -1, clockColumn = -1, sourceLabel = -1;
    bool ownClock = true, ownSource = true;
    Role defaultRole = Role::Aggregated;
    int idColumn = -1;
    bool absoluteStamps = false;
    QString source; // the file's name, for the source label and clock names
};

// The phase catalogue: a Phaseline export's own, TensorRT-LLM's where the mapping names its
// phases or stamps, else the CSV one.
PhaseCatalog catalogFor(const QStringList &header, const CsvColumnMapping &mapping)
{
    const QStringList trtOnly = [] {
        QStringList names = stampsOf(PhaseCatalog::trtllm()) + phaseNamesOf(PhaseCatalog::trtllm());
        const QStringList common = stampsOf(csvCatalog()) + phaseNamesOf(csvCatalog());
        names.erase(std::remove_if(names.begin(), names.end(), [&](const QString &n) { return common.contains(n); }),
                    names.end());
        return names;
    }();
    const bool trtllmPhases = std::any_of(mapping.columns.begin(), mapping.columns.end(),
                                          [&](const CsvColumnMapping::Column &column) { return trtOnly.contains(column.target); });
    if (isPhaselineExport(header))
        return exportedCatalog(header, trtllmPhases);
    PhaseCatalog catalog = csvCatalog();
    if (trtllmPhases) {
        catalog = PhaseCatalog::trtllm();
        catalog.merge(csvCatalog());
    }
    return catalog;
}

// A duration column's spans: "start>end" stamps, or those of the catalogue phase it names.
void planDuration(const CsvColumnMapping::Column &column, const PhaseCatalog &catalog,
                  const std::function<int(const QString &)> &stampSlot, ResolvedColumn &resolved)
{
    const int arrow = column.target.indexOf(QLatin1Char('>'));
    if (arrow > 0) {
        resolved.spans.append({kAllRoles, {stampSlot(column.target.left(arrow)), stampSlot(column.target.mid(arrow + 1))}});
        return;
    }
    const QVector<PhaseDefinition> definitions = catalog.all() + catalog.totals();
    for (int d = 0; d < definitions.size(); ++d) {
        const PhaseDefinition &phase = definitions[d];
        if (phase.name != column.target)
            continue;
        if (d < catalog.size())
            resolved.order = d;
        for (const PhaseSpan &span : phase.spans)
            resolved.spans.append({span.roles, {stampSlot(span.startStamp), stampSlot(span.endStamp)}});
        return;
    }
}

// Sets the table's catalogue and adds its columns; nullopt when the mapping does not fit the header.
std::optional<CsvPlan> planColumns(CsvReader &reader, const QString &inputName, const CsvColumnMapping &mapping,
                                   RequestTable &table, QVector<LoadIssue> &issues)
{
    CsvPlan plan;
    qint64 line = 0;
    QString error;
    if (!reader.next(&plan.header, &line, &error) || plan.header.size() != mapping.columns.size()) {
        issues.append(LoadIssue{LoadIssue::Error, inputName, 1, -1,
                                QStringLiteral("the column mapping has %1 columns, the header %2")
                                    .arg(mapping.columns.size())
                                    .arg(plan.header.size())});
        return std::nullopt;
    }
    const PhaseCatalog catalog = catalogFor(plan.header, mapping);
    table.setPhases(catalog);

    QStringList stampNames; // row-local stamp slots, in table column order
    const std::function<int(const QString &)> stampSlot = [&](const QString &name) {
        const int existing = int(stampNames.indexOf(name));
        if (existing >= 0)
            return existing;
        stampNames << name;
        table.addStampColumn(name);
        return int(stampNames.size() - 1);
    };
    plan.columns.resize(size_t(mapping.columns.size()));
    // Client rows: every stamp a client's, every duration one with a client span (ttft, e2e and
    // decode follow the stamps' side), and at least one of them the client's alone.
    bool clientOnly = true, clientSide = false;
    for (int i = 0; i < mapping.columns.size(); ++i) {
        const CsvColumnMapping::Column &column = mapping.columns[i];
        ResolvedColumn &resolved = plan.columns[size_t(i)];
        resolved.kind = column.kind;
        resolved.name = plan.header[i];
        resolved.secondsPer = CsvColumnMapping::secondsPer(column.unit);
        switch (column.kind) {
        case Kind::Stamp:
            resolved.index = stampSlot(column.target);
            resolved.absoluteStamp = mapping.absoluteStamps;
            clientOnly = clientOnly && column.target.startsWith(QLatin1String("client_"));
            clientSide = clientSide || column.target.startsWith(QLatin1String("client_"));
            break;
        case Kind::Duration:
            planDuration(column, catalog, stampSlot, resolved);
            if (resolved.spans.isEmpty()) {
                issues.append(LoadIssue{LoadIssue::Warning, inputName, 1, -1,
                                        QStringLiteral("column \"%1\": no phase named \"%2\"; column ignored")
                                            .arg(plan.header[i], column.target)});
                resolved.kind = Kind::Ignore;
            }
            clientOnly = clientOnly && std::any_of(resolved.spans.begin(), resolved.spans.end(), [](const auto &span) {
                return (span.first & roleBit(Role::Client)) != 0;
            });
            clientSide = clientSide || column.target.startsWith(QLatin1String("client_"));
            break;
        case Kind::Attribute: resolved.index = table.addAttributeColumn(column.target); break;
        case Kind::Label:
            resolved.index = table.addLabelColumn(column.target);
            if (column.target == QLatin1String("status"))
                plan.statusLabel = resolved.index;
            else if (column.target == QLatin1String("clock")) {
                plan.clockLabel = resolved.index;
                plan.clockColumn = i;
            }
            else if (column.target == QLatin1String("source"))
                plan.sourceLabel = resolved.index;
            break;
        case Kind::Id:
        case Kind::Role:
        case Kind::Ignore: break;
        }
    }
    if (plan.statusLabel < 0)
        plan.statusLabel = table.addLabelColumn(QStringLiteral("status"));
    plan.ownClock = plan.clockLabel < 0;
    if (plan.ownClock)
        plan.clockLabel = table.addLabelColumn(QStringLiteral("clock"));
    plan.ownSource = plan.sourceLabel < 0;
    if (plan.ownSource)
        plan.sourceLabel = table.addLabelColumn(QStringLiteral("source"));
    plan.stampCount = int(stampNames.size());
    plan.defaultRole = clientOnly && clientSide ? Role::Client : Role::Aggregated;
    plan.idColumn = mapping.idColumn();
    plan.absoluteStamps = mapping.absoluteStamps;
    plan.source = QFileInfo(inputName).fileName();
    return plan;
}

// One row's values as read, before any of it reaches the table.
struct CsvRowValues
{
    std::vector<double> stamps;
    std::vector<std::optional<qint64>> exactStamps;
    std::vector<double> durations;
    Role role = Role::Aggregated;
    std::vector<RowDuration> placing; // scratch of placeDurations(), reused row after row
};

// What reading the rows met, reported once at the end.
struct CsvTally
{
    static constexpr int kMaxRowIssues = 100; // the first bad rows are named, the rest counted
    qint64 skippedRows = 0;
    qint64 outOfRangeValues = 0;
    QString firstOutOfRange;
    qint64 firstStampMagnitude = -1; // decides the clock name: epoch or the file's own clock
};

// Parses a row's fields into `values`; the reason when the row is bad (it is then skipped).
QString parseRow(const CsvPlan &plan, const QStringList &fields, qint64 line, CsvRowValues &values, CsvTally &tally)
{
    std::fill(values.stamps.begin(), values.stamps.end(), kMissing);
    std::fill(values.exactStamps.begin(), values.exactStamps.end(), std::nullopt);
    std::fill(values.durations.begin(), values.durations.end(), kMissing);
    values.role = plan.defaultRole;
    for (size_t c = 0; c < plan.columns.size(); ++c) {
        const ResolvedColumn &column = plan.columns[c];
        const QString &text = fields[int(c)];
        if (column.kind == Kind::Role && !text.isEmpty()) {
            bool ok = false;
            values.role = parseRole(text, &ok);
            if (!ok)
                return QStringLiteral("column \"%1\": unknown role \"%2\"").arg(column.name, text);
            continue;
        }
        const bool numeric = column.kind == Kind::Stamp || column.kind == Kind::Duration || column.kind == Kind::Attribute;
        if (!numeric || isMissingText(text))
            continue;
        double value = 0;
        const NumberText number = readNumber(text, &value);
        if (number == NumberText::OutOfRange) {
            // Not recorded, as in JSON: the rest of the row stands.
            if (tally.outOfRangeValues++ == 0)
                tally.firstOutOfRange = QStringLiteral("line %1, column \"%2\": %3").arg(line).arg(column.name, text);
            continue;
        }
        if (number == NumberText::NotANumber)
            return QStringLiteral("column \"%1\": \"%2\" is not a number").arg(column.name, text);
        if (column.kind == Kind::Stamp) {
            values.stamps[size_t(column.index)] = value * column.secondsPer;
            if (column.absoluteStamp)
                values.exactStamps[size_t(column.index)] = exactNanoseconds(text, column.secondsPer);
        } else {
            values.durations[c] = value * (column.kind == Kind::Duration ? column.secondsPer : 1);
        }
    }
    return QString();
}

// Places a parsed row's stamps (given, or from durations) on the table's clock.
void placeStamps(RequestTable &table, int row, bool absolute, std::vector<ResolvedColumn> &columns,
                 CsvRowValues &values, CsvTally &tally)
{
    // Recorded stamps first (exact where the text allows), read back on the table's scale.
    std::vector<double> placed(values.stamps.size(), kMissing);
    for (size_t s = 0; s < values.stamps.size(); ++s) {
        if (isMissing(values.stamps[s]))
            continue;
        if (!absolute)
            table.setStampRelative(int(s), row, values.stamps[s]);
        else if (values.exactStamps[s])
            table.setStampNanoseconds(int(s), row, *values.exactStamps[s]);
        else
            table.setStampSeconds(int(s), row, values.stamps[s]);
        placed[s] = table.stamp(int(s), row);
        if (tally.firstStampMagnitude < 0 && absolute)
            tally.firstStampMagnitude = isEpochLike(values.stamps[s]) ? 1 : 0;
    }
    const bool givenStamps = std::any_of(placed.begin(), placed.end(), [](double s) { return !isMissing(s); });
    placeDurations(columns, values.durations, values.role, &placed, &values.placing);
    if (!givenStamps) {
        // Durations only: the earliest stamp is the request's 0.
        double earliest = std::numeric_limits<double>::infinity();
        for (double stamp : placed)
            earliest = isMissing(stamp) ? earliest : std::min(earliest, stamp);
        for (double &stamp : placed)
            stamp -= std::isfinite(earliest) ? earliest : 0;
    }
    for (size_t s = 0; s < placed.size(); ++s) {
        if (!isMissing(placed[s]) && isMissing(table.stamp(int(s), row)))
            table.setStampRelative(int(s), row, placed[s]);
    }
    for (const RowDuration &duration : values.placing) {
        if (duration.placed)
            continue;
        // Not connected to any stamp: kept as a number rather than placed by guesswork.
        ResolvedColumn &column = columns[duration.column];
        if (column.spareAttribute < 0)
            column.spareAttribute = table.addAttributeColumn(column.name + QStringLiteral(" (ms)"));
        table.setAttribute(column.spareAttribute, row, duration.seconds * 1e3);
    }
}

// Appends a parsed row: its id, stamps, attributes and labels.
void appendRow(CsvPlan &plan, RequestTable &table, const QStringList &fields, qint64 dataRow, CsvRowValues &values,
               CsvTally &tally)
{
    const QString id = plan.idColumn >= 0 && !fields[plan.idColumn].isEmpty() ? fields[plan.idColumn]
                                                                              : QString::number(dataRow);
    const QByteArray idBytes = id.toUtf8();
    const int row = table.appendRow(std::string_view(idBytes.constData(), size_t(idBytes.size())), values.role);
    // A clock column (Phaseline's export) says per row whether its stamps are relative.
    const QString givenClock = plan.ownClock ? QString() : fields[plan.clockColumn];
    const bool absolute = plan.absoluteStamps && !isAlignedClock(givenClock)
        && std::any_of(values.stamps.begin(), values.stamps.end(), [](double s) { return !isMissing(s); });
    placeStamps(table, row, absolute, plan.columns, values, tally);
    for (size_t c = 0; c < plan.columns.size(); ++c) {
        const ResolvedColumn &column = plan.columns[c];
        if (column.kind == Kind::Attribute && !isMissing(values.durations[c]))
            table.setAttribute(column.index, row, values.durations[c]);
        else if (column.kind == Kind::Label && column.index != plan.clockLabel)
            table.setLabel(column.index, row, column.index == plan.statusLabel ? statusText(fields[int(c)]) : fields[int(c)]);
    }
    if (table.labelColumn(plan.statusLabel).at(row).isEmpty())
        table.setLabel(plan.statusLabel, row, QStringLiteral("ok"));
    if (plan.ownSource)
        table.setLabel(plan.sourceLabel, row, plan.source);
    const bool aligned = !absolute;
    QString clock = givenClock;
    if (clock.isEmpty() || isAlignedClock(clock) != aligned) {
        clock = aligned                          ? alignedClockName(plan.source)
            : tally.firstStampMagnitude == 1     ? QStringLiteral("epoch (CSV %1)").arg(plan.source)
                                                 : QStringLiteral("clock of %1 (not epoch)").arg(plan.source);
    }
    table.setLabel(plan.clockLabel, row, clock);
}

// Read: every data row after the header; false when the load was canceled.
bool readRows(CsvReader &reader, CsvPlan &plan, const QString &inputName, RequestTable &table,
              QVector<LoadIssue> &issues, LoadControl *control, CsvTally &tally)
{
    CsvRowValues values;
    values.stamps.resize(size_t(plan.stampCount));
    values.exactStamps.resize(size_t(plan.stampCount));
    values.durations.resize(plan.columns.size());
    QStringList fields;
    qint64 line = 0;
    qint64 dataRow = 0;
    QString error;
    auto skip = [&](qint64 at, const QString &why) {
        if (++tally.skippedRows <= CsvTally::kMaxRowIssues)
            issues.append(LoadIssue{LoadIssue::Warning, inputName, at, reader.recordOffset(), why + QStringLiteral("; row skipped")});
    };
    while (reader.next(&fields, &line, &error)) {
        ++dataRow;
        if ((dataRow & 0xFFF) == 0 && LoadControl::isCanceled(control))
            return false;
        if (!error.isEmpty()) {
            skip(line, error);
            break;
        }
        if (fields.size() != plan.header.size()) {
            skip(line, QStringLiteral("%1 fields, the header has %2").arg(fields.size()).arg(plan.header.size()));
            continue;
        }
        // The whole row is parsed before it touches the table: a bad value skips the row.
        const QString bad = parseRow(plan, fields, line, values, tally);
        if (!bad.isEmpty()) {
            skip(line, bad);
            continue;
        }
        appendRow(plan, table, fields, dataRow, values, tally);
    }
    return true;
}

// Report: what was skipped or not recorded, counted once.
void reportTally(const CsvTally &tally, const QString &inputName, const RequestTable &table, QVector<LoadIssue> &issues)
{
    if (tally.skippedRows > CsvTally::kMaxRowIssues)
        issues.append(LoadIssue{LoadIssue::Warning, inputName, -1, -1,
                                QStringLiteral("%1 more bad rows skipped (%2 in all)")
                                    .arg(tally.skippedRows - CsvTally::kMaxRowIssues)
                                    .arg(tally.skippedRows)});
    if (tally.outOfRangeValues > 0)
        issues.append(LoadIssue{LoadIssue::Warning, inputName, -1, -1,
                                QStringLiteral("%1 value(s) beyond the range of a number (such as 1e400 or inf) "
                                               "were read as not recorded (first: %2)")
                                    .arg(tally.outOfRangeValues)
                                    .arg(tally.firstOutOfRange)});
    if (table.isEmpty())
        issues.append(LoadIssue{LoadIssue::Error, inputName, -1, -1, QStringLiteral("no valid CSV row")});
}

} // namespace

// Plan (the columns), read (the rows), report (what was left out).
FileImport CsvImporter::importWithMapping(std::string_view content, const QString &inputName,
                                          const CsvColumnMapping &mapping, LoadControl *control)
{
    FileImport result;
    CsvReader reader(content);
    std::optional<CsvPlan> plan = planColumns(reader, inputName, mapping, result.table, result.issues);
    if (!plan)
        return result;
    CsvTally tally;
    if (!readRows(reader, *plan, inputName, result.table, result.issues, control, tally))
        return result;
    LoadControl::addProgress(control, qint64(content.size()));
    reportTally(tally, inputName, result.table, result.issues);
    return result;
}

} // namespace Phaseline
