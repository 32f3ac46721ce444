// libFuzzer target: the Prometheus text exposition parser, the quantile estimates read off each
// histogram it keeps and the statistics outputs that show them.
#include "fuzzsupport.h"
#include "formats/prometheusimporter.h"
#include "output/statisticsformat.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const Phaseline::FileImport imported = Phaseline::PrometheusImporter::parse(text, QStringLiteral("metrics"));
    for (const Phaseline::HistogramDistribution &histogram : imported.distributions) {
        if (histogram.upperBounds.size() != histogram.cumulativeCounts.size())
            __builtin_trap();
        (void)histogram.bucketCounts();
        (void)histogram.mean();
        for (const Phaseline::DistributionQuantile &quantile : Phaseline::kDistributionQuantiles)
            (void)Phaseline::describeQuantile(Phaseline::estimateQuantile(histogram, quantile.q));
    }
    PhaselineFuzz::checkLoaded(imported.table, imported.issues, imported.distributions);
    return 0;
}
