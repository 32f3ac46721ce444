// libFuzzer target: CSV request tables read by column recognition (names, values, units).
#include "formats/csvimporter.h"
#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Phaseline::CsvImporter csv;
    PhaselineFuzz::importWithEach({&csv}, data, size);
    return 0;
}
