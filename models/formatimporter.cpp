#include "formatimporter.h"

namespace Phaseline {

const std::vector<const FormatImporter *> &formatImporters()
{
    // Register new formats here, most specific sniffing rule first.
    static const std::vector<const FormatImporter *> importers = {};
    return importers;
}

} // namespace Phaseline
