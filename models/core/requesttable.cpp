#include "core/requesttable.h"

#include <algorithm>

namespace Phaseline {

namespace {

// Gives back reserve slack (e.g. after a join compacted three records into one request) only
// where it is worth a copy.
template <typename T>
void giveBackSlack(std::vector<T> &values)
{
    if (values.capacity() > values.size() + values.size() / 4)
        values.shrink_to_fit();
}

} // namespace

LabelCode LabelColumn::intern(const QString &value)
{
    if (m_index.size() != values.size()) { // values were copied in or set up without intern()
        m_index.clear();
        for (int i = values.size() - 1; i >= 0; --i) // the first of equal values wins
            m_index.insert(values[i], LabelCode(i));
    }
    const auto found = m_index.constFind(value);
    if (found != m_index.constEnd())
        return *found;
    const LabelCode code = LabelCode(values.size());
    if (code > std::numeric_limits<quint16>::max())
        codes.widen();
    values.append(value);
    m_index.insert(value, code);
    return code;
}

size_t LabelCodes::memoryBytes() const
{
    return m_narrowCodes.capacity() * sizeof(quint16) + m_wideCodes.capacity() * sizeof(LabelCode);
}

void LabelCodes::set(size_t row, LabelCode code)
{
    if (m_wide)
        m_wideCodes[row] = code;
    else
        m_narrowCodes[row] = quint16(code); // intern() widened before handing out a larger code
}

void LabelCodes::push_back(LabelCode code)
{
    if (m_wide)
        m_wideCodes.push_back(code);
    else
        m_narrowCodes.push_back(quint16(code));
}

void LabelCodes::resize(size_t rows, LabelCode code)
{
    if (m_wide)
        m_wideCodes.resize(rows, code);
    else
        m_narrowCodes.resize(rows, quint16(code));
}

void LabelCodes::reserve(size_t rows)
{
    if (m_wide)
        m_wideCodes.reserve(rows);
    else
        m_narrowCodes.reserve(rows);
}

void LabelCodes::keepRows(const std::vector<bool> &keep)
{
    auto compactCodes = [&keep](auto &codes) {
        size_t out = 0;
        for (size_t i = 0; i < codes.size(); ++i) {
            if (keep[i])
                codes[out++] = codes[i];
        }
        codes.resize(out);
    };
    if (m_wide)
        compactCodes(m_wideCodes);
    else
        compactCodes(m_narrowCodes);
}

void LabelCodes::giveBackSlack()
{
    Phaseline::giveBackSlack(m_narrowCodes);
    Phaseline::giveBackSlack(m_wideCodes);
}

void LabelCodes::widen()
{
    if (m_wide)
        return;
    m_wideCodes.reserve(m_narrowCodes.capacity());
    m_wideCodes.assign(m_narrowCodes.begin(), m_narrowCodes.end());
    m_narrowCodes = std::vector<quint16>();
    m_wide = true;
}

void StepTable::append(const StepTable &other, quint32 rowOffset, double timeShift)
{
    const size_t base = request.size();
    request.insert(request.end(), other.request.begin(), other.request.end());
    for (size_t i = base; i < request.size(); ++i)
        request[i] += rowOffset;
    kind.insert(kind.end(), other.kind.begin(), other.kind.end());
    auto shifted = [timeShift](std::vector<double> &to, const std::vector<double> &from) {
        const size_t start = to.size();
        to.insert(to.end(), from.begin(), from.end());
        if (timeShift != 0) {
            for (size_t i = start; i < to.size(); ++i)
                to[i] += timeShift;
        }
    };
    shifted(forwardStart, other.forwardStart);
    shifted(forwardEnd, other.forwardEnd);
    shifted(sampleStart, other.sampleStart);
    shifted(sampleEnd, other.sampleEnd);
    shifted(tokenTime, other.tokenTime);
    gpuForwardMs.insert(gpuForwardMs.end(), other.gpuForwardMs.begin(), other.gpuForwardMs.end());
    gpuSampleMs.insert(gpuSampleMs.end(), other.gpuSampleMs.begin(), other.gpuSampleMs.end());
    iteration.insert(iteration.end(), other.iteration.begin(), other.iteration.end());
}

void StepTable::clear()
{
    *this = StepTable();
}

std::string_view RequestTable::idView(int row) const
{
    const quint32 begin = row == 0 ? 0 : m_idEnds[size_t(row) - 1];
    const quint32 end = m_idEnds[size_t(row)];
    return std::string_view(m_idChars.data() + begin, end - begin);
}

QString RequestTable::id(int row) const
{
    const std::string_view view = idView(row);
    return QString::fromUtf8(view.data(), qsizetype(view.size()));
}

namespace {
template<typename Column>
int indexByName(const std::vector<Column> &columns, const QString &name)
{
    for (size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == name)
            return int(i);
    }
    return -1;
}
} // namespace

int RequestTable::stampIndex(const QString &name) const { return indexByName(m_stamps, name); }
int RequestTable::attributeIndex(const QString &name) const { return indexByName(m_attributes, name); }
int RequestTable::labelIndex(const QString &name) const { return indexByName(m_labels, name); }

double RequestTable::stamp(const QString &name, int row) const
{
    const int column = stampIndex(name);
    return column < 0 ? kMissing : stamp(column, row);
}

double RequestTable::attribute(const QString &name, int row) const
{
    const int column = attributeIndex(name);
    return column < 0 ? kMissing : m_attributes[size_t(column)].at(row);
}

std::vector<double> &RequestTable::storageOf(NumberColumn &column)
{
    if (column.values.empty()) {
        column.values.reserve(std::max(m_reservedRows, m_roles.size()));
        column.values.assign(m_roles.size(), kMissing);
    }
    return column.values;
}

QString RequestTable::label(const QString &name, int row) const
{
    const int column = labelIndex(name);
    return column < 0 ? QString() : m_labels[size_t(column)].at(row);
}

QString alignedClockName(const QString &source)
{
    return QStringLiteral("no wall clock: durations from %1, every request starts at 0").arg(source);
}

bool isAlignedClock(const QString &clockName)
{
    return clockName.startsWith(QLatin1String("no wall clock:"));
}

int RequestTable::addStampColumn(const QString &name)
{
    const int existing = stampIndex(name);
    if (existing >= 0)
        return existing;
    m_stamps.push_back(NumberColumn{name, {}});
    return int(m_stamps.size() - 1);
}

int RequestTable::addAttributeColumn(const QString &name)
{
    const int existing = attributeIndex(name);
    if (existing >= 0)
        return existing;
    m_attributes.push_back(NumberColumn{name, {}});
    return int(m_attributes.size() - 1);
}

int RequestTable::addLabelColumn(const QString &name)
{
    const int existing = labelIndex(name);
    if (existing >= 0)
        return existing;
    LabelColumn column;
    column.name = name;
    column.values.append(QString()); // code 0 = no label
    column.codes.resize(m_roles.size());
    m_labels.push_back(std::move(column));
    return int(m_labels.size() - 1);
}

int RequestTable::appendRow(std::string_view id, Role role)
{
    m_idChars.insert(m_idChars.end(), id.begin(), id.end());
    m_idEnds.push_back(quint32(m_idChars.size()));
    m_roles.push_back(quint8(role));
    for (NumberColumn &column : m_stamps) {
        if (column.isAllocated())
            column.values.push_back(kMissing);
    }
    for (NumberColumn &column : m_attributes) {
        if (column.isAllocated())
            column.values.push_back(kMissing);
    }
    for (LabelColumn &column : m_labels)
        column.codes.push_back(0);
    return int(m_roles.size() - 1);
}

qint64 saturatingNanoseconds(double nanoseconds)
{
    if (std::isnan(nanoseconds))
        return 0;
    // 2^63 is exact in a double; every double below it converts without overflow.
    constexpr double kLimit = 9223372036854775808.0;
    if (nanoseconds >= kLimit)
        return std::numeric_limits<qint64>::max();
    if (nanoseconds <= -kLimit)
        return -std::numeric_limits<qint64>::max(); // symmetric: negating a result is safe
    return qint64(std::llround(nanoseconds));
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

QString OutOfRangeStamps::describe() const
{
    QString first = firstId.isEmpty() ? firstColumn
                                      : QStringLiteral("request %1, %2").arg(firstId, firstColumn);
    return QStringLiteral("%1 stamp(s) after 2100-01-01 (%2 s since the epoch; a millisecond value read as "
                          "seconds?) are out of range and were not recorded (first: %3 = %4 s)")
        .arg(count)
        .arg(qint64(kLatestStampSeconds))
        .arg(first)
        .arg(firstSeconds, 0, 'g', 17);
}

void RequestTable::refuseStamp(int column, int row, double seconds)
{
    if (m_outOfRange.count++ > 0)
        return;
    m_outOfRange.firstId = row >= 0 ? id(row) : QString();
    m_outOfRange.firstColumn = column >= 0 ? m_stamps[size_t(column)].name : QStringLiteral("per-iteration stamp");
    m_outOfRange.firstSeconds = seconds;
}

double RequestTable::toRelative(double absoluteSeconds)
{
    if (absoluteSeconds > kLatestStampSeconds) {
        refuseStamp(-1, -1, absoluteSeconds);
        return kMissing;
    }
    if (!m_hasOrigin) {
        m_originSeconds = std::floor(absoluteSeconds);
        m_hasOrigin = true;
    }
    return absoluteSeconds - m_originSeconds;
}

void RequestTable::setStampSeconds(int column, int row, double absoluteSeconds)
{
    if (!(absoluteSeconds > 0)) // NaN fails the comparison too
        return;
    if (absoluteSeconds > kLatestStampSeconds) { // infinity too
        refuseStamp(column, row, absoluteSeconds);
        return;
    }
    const double relative = toRelative(absoluteSeconds);
    storageOf(m_stamps[size_t(column)])[size_t(row)] = relative;
}

void RequestTable::setStampNanoseconds(int column, int row, qint64 nanoseconds)
{
    if (nanoseconds <= 0)
        return;
    if (nanoseconds > kLatestStampNanoseconds) {
        refuseStamp(column, row, double(nanoseconds) / 1e9);
        return;
    }
    constexpr qint64 kPerSecond = 1000000000;
    if (!m_hasOrigin) {
        m_originSeconds = double(nanoseconds / kPerSecond);
        m_hasOrigin = true;
    }
    // The origin is an integral second, so the subtraction is exact in integers; only the
    // (small) remainder becomes a double. Epoch nanoseconds exceed 2^53 and would not survive.
    // Both are at most kLatestStampNanoseconds, so nothing here overflows.
    const qint64 relative = nanoseconds - qint64(m_originSeconds) * kPerSecond;
    storageOf(m_stamps[size_t(column)])[size_t(row)] = double(relative) / double(kPerSecond);
}

void RequestTable::setLabel(int column, int row, const QString &value)
{
    LabelColumn &labels = m_labels[size_t(column)];
    labels.codes.set(size_t(row), labels.intern(value));
}

void RequestTable::reserve(size_t rows)
{
    m_reservedRows = rows;
    m_idEnds.reserve(rows);
    m_idChars.reserve(rows * 4);
    m_roles.reserve(rows);
    for (NumberColumn &column : m_stamps)
        column.values.reserve(rows);
    for (NumberColumn &column : m_attributes)
        column.values.reserve(rows);
    for (LabelColumn &column : m_labels)
        column.codes.reserve(rows);
}

void RequestTable::appendTable(RequestTable &&other)
{
    OutOfRangeStamps refused = m_outOfRange.count > 0 ? m_outOfRange : other.m_outOfRange;
    refused.count = m_outOfRange.count + other.m_outOfRange.count;
    if (m_roles.empty() && m_phases.size() == other.m_phases.size()) {
        // The first chunk moves in whole; only later chunks are copied.
        *this = std::move(other);
        m_outOfRange = refused;
        return;
    }
    m_outOfRange = refused;
    const size_t rowOffset = m_roles.size();
    double shift = 0;
    if (other.m_hasOrigin) {
        if (!m_hasOrigin) {
            m_originSeconds = other.m_originSeconds;
            m_hasOrigin = true;
        }
        shift = other.m_originSeconds - m_originSeconds; // both integral: exact
    }

    const quint32 charOffset = quint32(m_idChars.size());
    m_idChars.insert(m_idChars.end(), other.m_idChars.begin(), other.m_idChars.end());
    for (quint32 end : other.m_idEnds)
        m_idEnds.push_back(end + charOffset);
    m_roles.insert(m_roles.end(), other.m_roles.begin(), other.m_roles.end());
    const size_t newSize = m_roles.size();

    auto appendNumbers = [&](std::vector<NumberColumn> &mine, const std::vector<NumberColumn> &theirs,
                             int (RequestTable::*add)(const QString &), double valueShift) {
        for (const NumberColumn &column : theirs) {
            if (!column.isAllocated())
                continue;
            NumberColumn &to = mine[size_t((this->*add)(column.name))];
            // No exact reserve here: live sessions append small batches, and growing to the
            // exact size each time would copy the column on every batch.
            to.values.resize(rowOffset, kMissing);
            to.values.insert(to.values.end(), column.values.begin(), column.values.end());
            if (valueShift != 0) {
                for (size_t i = rowOffset; i < newSize; ++i)
                    to.values[i] += valueShift;
            }
        }
        // Columns this table has and the other lacks get "not recorded" for the new rows.
        for (NumberColumn &column : mine) {
            if (column.isAllocated())
                column.values.resize(newSize, kMissing);
        }
    };
    appendNumbers(m_stamps, other.m_stamps, &RequestTable::addStampColumn, shift);
    appendNumbers(m_attributes, other.m_attributes, &RequestTable::addAttributeColumn, 0);

    for (const LabelColumn &column : other.m_labels) {
        LabelColumn &to = m_labels[size_t(addLabelColumn(column.name))];
        to.codes.resize(rowOffset);
        std::vector<LabelCode> recode(size_t(column.values.size()));
        for (int i = 0; i < column.values.size(); ++i)
            recode[size_t(i)] = to.intern(column.values[i]);
        for (size_t row = 0; row < column.codes.size(); ++row)
            to.codes.push_back(recode[column.codes[row]]);
    }
    for (LabelColumn &column : m_labels)
        column.codes.resize(newSize, 0);

    m_steps.append(other.m_steps, quint32(rowOffset), shift);
    m_phases.merge(other.m_phases);
}

void RequestTable::compact(const std::vector<bool> &keep)
{
    const size_t n = m_roles.size();
    std::vector<qint64> newIndex(n, -1);
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i) {
        if (keep[i])
            newIndex[i] = qint64(kept++);
    }
    if (kept == n)
        return;

    std::vector<char> chars;
    std::vector<quint32> ends;
    ends.reserve(kept);
    for (size_t i = 0; i < n; ++i) {
        if (!keep[i])
            continue;
        const std::string_view view = idView(int(i));
        chars.insert(chars.end(), view.begin(), view.end());
        ends.push_back(quint32(chars.size()));
    }
    m_idChars.swap(chars);
    m_idEnds.swap(ends);

    auto compactVector = [&](auto &values) {
        size_t out = 0;
        for (size_t i = 0; i < n; ++i) {
            if (keep[i])
                values[out++] = values[i];
        }
        values.resize(out);
    };
    compactVector(m_roles);
    for (NumberColumn &column : m_stamps) {
        if (column.isAllocated())
            compactVector(column.values);
    }
    for (NumberColumn &column : m_attributes) {
        if (column.isAllocated())
            compactVector(column.values);
    }
    for (LabelColumn &column : m_labels)
        column.codes.keepRows(keep);

    // Steps of a dropped row were re-pointed by the caller before compaction; any left are dropped.
    StepTable steps;
    for (size_t s = 0; s < m_steps.size(); ++s) {
        const qint64 to = newIndex[m_steps.request[s]];
        if (to < 0)
            continue;
        steps.request.push_back(quint32(to));
        steps.kind.push_back(m_steps.kind[s]);
        steps.forwardStart.push_back(m_steps.forwardStart[s]);
        steps.forwardEnd.push_back(m_steps.forwardEnd[s]);
        steps.sampleStart.push_back(m_steps.sampleStart[s]);
        steps.sampleEnd.push_back(m_steps.sampleEnd[s]);
        steps.tokenTime.push_back(m_steps.tokenTime[s]);
        steps.gpuForwardMs.push_back(m_steps.gpuForwardMs[s]);
        steps.gpuSampleMs.push_back(m_steps.gpuSampleMs[s]);
        steps.iteration.push_back(m_steps.iteration[s]);
    }
    m_steps = std::move(steps);
}

void RequestTable::dropEmptyColumns()
{
    auto numberColumnEmpty = [](const NumberColumn &column) {
        return std::all_of(column.values.begin(), column.values.end(), [](double v) { return isMissing(v); });
    };
    m_stamps.erase(std::remove_if(m_stamps.begin(), m_stamps.end(), numberColumnEmpty), m_stamps.end());
    m_attributes.erase(std::remove_if(m_attributes.begin(), m_attributes.end(), numberColumnEmpty),
                       m_attributes.end());
    m_labels.erase(std::remove_if(m_labels.begin(), m_labels.end(),
                                  [](const LabelColumn &column) { return column.values.size() <= 1; }),
                   m_labels.end());
    for (NumberColumn &column : m_stamps)
        giveBackSlack(column.values);
    for (NumberColumn &column : m_attributes)
        giveBackSlack(column.values);
    for (LabelColumn &column : m_labels)
        column.codes.giveBackSlack();
    giveBackSlack(m_idChars);
    giveBackSlack(m_idEnds);
    giveBackSlack(m_roles);
}

size_t RequestTable::memoryBytes() const
{
    size_t bytes = m_idChars.capacity() + m_idEnds.capacity() * sizeof(quint32) + m_roles.capacity();
    for (const NumberColumn &column : m_stamps)
        bytes += column.values.capacity() * sizeof(double);
    for (const NumberColumn &column : m_attributes)
        bytes += column.values.capacity() * sizeof(double);
    for (const LabelColumn &column : m_labels)
        bytes += column.codes.memoryBytes();
    bytes += m_steps.size() * (sizeof(quint32) + 1 + 5 * sizeof(double) + 2 * sizeof(float) + sizeof(qint32));
    return bytes;
}

} // namespace Phaseline
