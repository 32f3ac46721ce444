#pragma once

#include "core/phasecatalog.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

namespace Phaseline {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
inline bool isMissing(double v) { return std::isnan(v); }

// No clock of a serving run reads past 2100-01-01 (epoch seconds; steady clocks read far less):
// a later stamp is a unit mistake (milliseconds typed as seconds) or garbage. It is reported and
// not recorded, and never becomes the time origin, so it cannot cost the other stamps precision.
constexpr double kLatestStampSeconds = 4102444800.0;
constexpr qint64 kLatestStampNanoseconds = qint64(4102444800) * 1000000000;

// Integer stamp arithmetic without overflow: results beyond qint64 saturate, and a saturated
// stamp is then reported as out of range (or, when negative, is not recorded).
qint64 saturatingNanoseconds(double nanoseconds); // rounded, within ±qint64 max; NaN gives 0
qint64 saturatingAdd(qint64 a, qint64 b);

// Stamps a table refused as out of range, for the importer's warning.
struct OutOfRangeStamps
{
    qint64 count = 0;
    QString firstId;     // the request of the first one (empty for per-iteration stamps)
    QString firstColumn; // its stamp name
    double firstSeconds = 0;

    // "3 stamp(s) after 2100-01-01 ... were not recorded (first: request 7, arrival_time = 1e+15 s)"
    QString describe() const;
};

using LabelCode = quint32;

// One label code per row: two bytes each while the column has at most 65,536 distinct values,
// four bytes once it has more. The width grows; a value is never relabelled.
class LabelCodes
{
public:
    LabelCode operator[](size_t row) const { return m_wide ? m_wideCodes[row] : m_narrowCodes[row]; }
    size_t size() const { return m_wide ? m_wideCodes.size() : m_narrowCodes.size(); }
    bool isWide() const { return m_wide; }
    size_t memoryBytes() const;

    void set(size_t row, LabelCode code);
    void push_back(LabelCode code);
    void resize(size_t rows, LabelCode code = 0);
    void reserve(size_t rows);
    // Keeps rows whose mask entry is true, in order.
    void keepRows(const std::vector<bool> &keep);
    // Makes room for codes above 65,535.
    void widen();
    // Frees reserved room well beyond the rows held.
    void giveBackSlack();

private:
    bool m_wide = false;
    std::vector<quint16> m_narrowCodes;
    std::vector<LabelCode> m_wideCodes;
};

// A categorical column (server, status, source file, clock domain): one small code per
// request into a table of distinct strings, so a million requests cost two bytes each.
struct LabelColumn
{
    QString name;
    QStringList values;
    LabelCodes codes;

    LabelCode intern(const QString &value);
    QString at(int row) const { return values.at(int(codes[size_t(row)])); }

private:
    QHash<QString, LabelCode> m_index; // value -> code, kept in step with `values` by intern()
};

// A numeric column; NaN = not recorded. While nothing was ever recorded in it the
// column holds no storage at all (importers register many columns, files use a few).
struct NumberColumn
{
    QString name;
    std::vector<double> values; // empty, or one value per row

    bool isAllocated() const { return !values.empty(); }
    double at(int row) const { return values.empty() ? kMissing : values[size_t(row)]; }
};

// Per-iteration detail (TensorRT-LLM time_breakdown_metrics): context chunks and
// generation steps. Stamps are on the *worker's local* steady clock, relative to the
// table's time origin; they are never offset-corrected by the server.
struct StepTable
{
    enum Kind : quint8 { ContextChunk = 0, GenerationStep = 1 };

    std::vector<quint32> request;
    std::vector<quint8> kind;
    std::vector<double> forwardStart, forwardEnd, sampleStart, sampleEnd, tokenTime;
    std::vector<float> gpuForwardMs, gpuSampleMs;
    std::vector<qint32> iteration;

    size_t size() const { return request.size(); }
    void append(const StepTable &other, quint32 rowOffset, double timeShift);
    void clear();
};

// Rows carry their clock domain in the "clock" label column: stamps of one domain are
// comparable, stamps of different domains never are. Sources that give durations only
// (no wall clock) start every request at 0 on a domain named by alignedClockName().
QString alignedClockName(const QString &source);
bool isAlignedClock(const QString &clockName);

// The one request model every importer fills and every view reads. Columnar: the hot
// numbers live in one vector per stamp/attribute, never in per-request objects.
// Stamps are seconds relative to timeOriginSeconds() (an integral second), which keeps
// sub-microsecond precision for steady-clock and epoch stamps alike.
class RequestTable
{
public:
    int size() const { return int(m_roles.size()); }
    bool isEmpty() const { return m_roles.empty(); }

    // --- identity -------------------------------------------------------------------
    std::string_view idView(int row) const;
    QString id(int row) const;
    Role role(int row) const { return Role(m_roles[size_t(row)]); }

    // --- timestamps -----------------------------------------------------------------
    int stampColumnCount() const { return int(m_stamps.size()); }
    const NumberColumn &stampColumn(int column) const { return m_stamps[size_t(column)]; }
    int stampIndex(const QString &name) const;
    double stamp(int column, int row) const { return m_stamps[size_t(column)].at(row); }
    double stamp(const QString &name, int row) const;
    bool hasTimeOrigin() const { return m_hasOrigin; }
    double timeOriginSeconds() const { return m_originSeconds; }
    const OutOfRangeStamps &outOfRangeStamps() const { return m_outOfRange; }
    // Hands the refused stamps to the importer that reports them, and forgets them.
    OutOfRangeStamps takeOutOfRangeStamps() { return std::exchange(m_outOfRange, OutOfRangeStamps()); }

    // --- attributes and labels ------------------------------------------------------
    int attributeCount() const { return int(m_attributes.size()); }
    const NumberColumn &attributeColumn(int column) const { return m_attributes[size_t(column)]; }
    int attributeIndex(const QString &name) const;
    double attribute(const QString &name, int row) const;
    int labelCount() const { return int(m_labels.size()); }
    const LabelColumn &labelColumn(int column) const { return m_labels[size_t(column)]; }
    int labelIndex(const QString &name) const;
    QString label(const QString &name, int row) const;

    const StepTable &steps() const { return m_steps; }
    const PhaseCatalog &phases() const { return m_phases; }
    void setPhases(const PhaseCatalog &phases) { m_phases = phases; }

    // --- building (importers) -------------------------------------------------------
    int addStampColumn(const QString &name);
    int addAttributeColumn(const QString &name);
    int addLabelColumn(const QString &name);
    int appendRow(std::string_view id, Role role);
    void setRole(int row, Role role) { m_roles[size_t(row)] = quint8(role); }
    // Absent, NaN and non-positive stamps are "not recorded" (docs/phase-model.md §2); stamps after
    // kLatestStampSeconds are not recorded either, and counted in outOfRangeStamps().
    void setStampSeconds(int column, int row, double absoluteSeconds);
    // Integer epoch/steady nanoseconds, kept exact (no detour through a double of the absolute value).
    void setStampNanoseconds(int column, int row, qint64 nanoseconds);
    void setStampRelative(int column, int row, double relativeSeconds)
    {
        storageOf(m_stamps[size_t(column)])[size_t(row)] = relativeSeconds;
    }
    void setAttribute(int column, int row, double value) { storageOf(m_attributes[size_t(column)])[size_t(row)] = value; }
    void setLabel(int column, int row, const QString &value);
    LabelCode internLabel(int column, const QString &value) { return m_labels[size_t(column)].intern(value); }
    void setLabelCode(int column, int row, LabelCode code) { m_labels[size_t(column)].codes.set(size_t(row), code); }
    StepTable &mutableSteps() { return m_steps; }
    // Converts an absolute stamp to this table's relative seconds (fixing the origin on first
    // use); an out-of-range stamp gives kMissing and is counted.
    double toRelative(double absoluteSeconds);

    // Appends all rows of another table with the same column layout (parallel chunks).
    void appendTable(RequestTable &&other);
    // Keeps rows whose mask entry is true, in order; step rows are remapped.
    void compact(const std::vector<bool> &keep);
    // Drops stamp/attribute columns with no recorded value and label columns that are all empty.
    void dropEmptyColumns();
    void reserve(size_t rows);
    size_t memoryBytes() const;

private:
    std::vector<double> &storageOf(NumberColumn &column);
    void refuseStamp(int column, int row, double seconds);

    std::vector<char> m_idChars;
    std::vector<quint32> m_idEnds;
    std::vector<quint8> m_roles;
    std::vector<NumberColumn> m_stamps;
    std::vector<NumberColumn> m_attributes;
    std::vector<LabelColumn> m_labels;
    StepTable m_steps;
    PhaseCatalog m_phases;
    double m_originSeconds = 0;
    bool m_hasOrigin = false;
    OutOfRangeStamps m_outOfRange;
    size_t m_reservedRows = 0;
};

} // namespace Phaseline
