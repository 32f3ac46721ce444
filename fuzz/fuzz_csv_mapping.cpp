// libFuzzer target: CSV read with an explicit column mapping, as the window's mapping dialog
// gives one. The first line is a remembered mapping ("absolute|stamp:arrival:ms|..."); when it
// is none, the mapping recognition proposes for the rest is used. Either way the mapping must
// survive its text form unchanged.
#include "formats/csvimporter.h"
#include "core/csvreader.h"
#include "fuzzsupport.h"

namespace {

bool sameMapping(const Phaseline::CsvColumnMapping &a, const Phaseline::CsvColumnMapping &b)
{
    if (a.absoluteStamps != b.absoluteStamps || a.columns.size() != b.columns.size())
        return false;
    for (int i = 0; i < a.columns.size(); ++i) {
        const Phaseline::CsvColumnMapping::Column &x = a.columns[i];
        const Phaseline::CsvColumnMapping::Column &y = b.columns[i];
        if (x.kind != y.kind || x.target != y.target || x.unit != y.unit)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view all(reinterpret_cast<const char *>(data), size);
    const size_t newline = all.find('\n');
    const std::string_view first = all.substr(0, newline);
    const std::string_view csv = newline == std::string_view::npos ? all : all.substr(newline + 1);
    Phaseline::CsvColumnMapping mapping;
    if (!Phaseline::CsvColumnMapping::fromText(QString::fromUtf8(first.data(), qsizetype(first.size())), &mapping))
        mapping = Phaseline::CsvImporter::recognise(Phaseline::readCsvPreview(csv, 20));
    Phaseline::CsvColumnMapping reread;
    // A target holding the separators '|' or ':' cannot be written; everything else must come back.
    const bool writable = std::none_of(mapping.columns.begin(), mapping.columns.end(), [](const auto &column) {
        return column.target.contains(QLatin1Char('|')) || column.target.contains(QLatin1Char(':'));
    });
    if (writable && (!Phaseline::CsvColumnMapping::fromText(mapping.toText(), &reread) || !sameMapping(mapping, reread)))
        __builtin_trap();
    const Phaseline::FileImport imported =
        Phaseline::CsvImporter::importWithMapping(csv, QStringLiteral("fuzz.csv"), mapping);
    PhaselineFuzz::checkLoaded(imported.table, imported.issues);
    return 0;
}
