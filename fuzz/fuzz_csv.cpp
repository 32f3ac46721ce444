// libFuzzer target: CSV request tables read by column recognition (names, values, units).
#include "csvimporter.h"
#include "fuzzsupport.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const Phaseline::CsvImporter csv;
    PhaselineFuzz::importWithEach({&csv}, data, size);
    return 0;
}
