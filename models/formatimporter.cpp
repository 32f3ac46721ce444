#include "formatimporter.h"

#include "csvimporter.h"
#include "prometheusimporter.h"

namespace Phaseline {

const std::vector<const FormatImporter *> &formatImporters()
{
    // Register new formats here, most specific sniffing rule first.
    static const PrometheusImporter prometheus;
    static const CsvImporter csv; // last: its sniffing rule is the loosest
    static const std::vector<const FormatImporter *> importers = {&prometheus, &csv};
    return importers;
}

} // namespace Phaseline
