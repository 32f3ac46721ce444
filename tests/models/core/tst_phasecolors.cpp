// The colour rule of the phase catalogues: two phases that can share a stack must look different,
// also to people with the common red-green colour-vision deficiencies.
#include "core/phasecatalog.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Phaseline;

namespace {

using Lab = std::array<double, 3>;
using Matrix = std::array<std::array<double, 3>, 3>;

// Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
constexpr Matrix kProtanopia{{{0.152286, 1.052583, -0.204868},
                              {0.114503, 0.786281, 0.099216},
                              {-0.003882, -0.048116, 1.051998}}};
constexpr Matrix kDeuteranopia{{{0.367322, 0.860646, -0.227968},
                                {0.280085, 0.672501, 0.047413},
                                {-0.011820, 0.042940, 0.968881}}};

double linearFromSrgb(double channel)
{
    channel /= 255.0;
    return channel <= 0.04045 ? channel / 12.92 : std::pow((channel + 0.055) / 1.055, 2.4);
}

Lab labFromLinear(const std::array<double, 3> &rgb)
{
    const double x = 0.4124564 * rgb[0] + 0.3575761 * rgb[1] + 0.1804375 * rgb[2];
    const double y = 0.2126729 * rgb[0] + 0.7151522 * rgb[1] + 0.0721750 * rgb[2];
    const double z = 0.0193339 * rgb[0] + 0.1191920 * rgb[1] + 0.9503041 * rgb[2];
    auto f = [](double t) { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
    const double fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883); // D65 white
    return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

Lab labOf(quint32 argb, const Matrix *vision)
{
    std::array<double, 3> rgb{linearFromSrgb((argb >> 16) & 0xFF), linearFromSrgb((argb >> 8) & 0xFF),
                              linearFromSrgb(argb & 0xFF)};
    if (vision) {
        std::array<double, 3> seen{};
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j)
                seen[size_t(i)] += (*vision)[size_t(i)][size_t(j)] * rgb[size_t(j)];
            seen[size_t(i)] = std::clamp(seen[size_t(i)], 0.0, 1.0);
        }
        rgb = seen;
    }
    return labFromLinear(rgb);
}

double radians(double degrees) { return degrees * M_PI / 180.0; }

// CIEDE2000 (Sharma, Wu & Dalal 2005).
double ciede2000(const Lab &first, const Lab &second)
{
    const auto [l1, a1, b1] = first;
    const auto [l2, a2, b2] = second;
    const double meanChroma = (std::hypot(a1, b1) + std::hypot(a2, b2)) / 2;
    const double g = 0.5 * (1 - std::sqrt(std::pow(meanChroma, 7) / (std::pow(meanChroma, 7) + std::pow(25.0, 7))));
    const double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
    const double c1 = std::hypot(a1p, b1), c2 = std::hypot(a2p, b2);
    auto hue = [](double b, double a) {
        const double h = std::atan2(b, a) * 180.0 / M_PI;
        return h < 0 ? h + 360 : h;
    };
    const double h1 = c1 == 0 ? 0 : hue(b1, a1p), h2 = c2 == 0 ? 0 : hue(b2, a2p);
    double dh = 0;
    if (c1 * c2 != 0) {
        dh = h2 - h1;
        if (dh > 180)
            dh -= 360;
        else if (dh < -180)
            dh += 360;
    }
    const double dL = l2 - l1, dC = c2 - c1;
    const double dH = 2 * std::sqrt(c1 * c2) * std::sin(radians(dh / 2));
    const double meanL = (l1 + l2) / 2, meanC = (c1 + c2) / 2;
    double meanH = h1 + h2;
    if (c1 * c2 != 0)
        meanH = std::abs(h1 - h2) <= 180 ? meanH / 2 : (meanH < 360 ? (meanH + 360) / 2 : (meanH - 360) / 2);
    const double t = 1 - 0.17 * std::cos(radians(meanH - 30)) + 0.24 * std::cos(radians(2 * meanH))
        + 0.32 * std::cos(radians(3 * meanH + 6)) - 0.20 * std::cos(radians(4 * meanH - 63));
    const double rotation = 30 * std::exp(-std::pow((meanH - 275) / 25, 2));
    const double rc = 2 * std::sqrt(std::pow(meanC, 7) / (std::pow(meanC, 7) + std::pow(25.0, 7)));
    const double sl = 1 + 0.015 * std::pow(meanL - 50, 2) / std::sqrt(20 + std::pow(meanL - 50, 2));
    const double sc = 1 + 0.045 * meanC, sh = 1 + 0.015 * meanC * t;
    const double rt = -std::sin(radians(2 * rotation)) * rc;
    return std::sqrt(std::pow(dL / sl, 2) + std::pow(dC / sc, 2) + std::pow(dH / sh, 2) + rt * (dC / sc) * (dH / sh));
}

// A parent and its children never share a stack: the stack draws one or the others.
bool shareAStack(const PhaseDefinition &first, const PhaseDefinition &second)
{
    return !first.children.contains(second.name) && !second.children.contains(first.name);
}

} // namespace

Q_DECLARE_METATYPE(Lab)
Q_DECLARE_METATYPE(PhaseCatalog)

class TestPhaseColors : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ciede2000MatchesPublishedPairs_data()
    {
        QTest::addColumn<Lab>("first");
        QTest::addColumn<Lab>("second");
        QTest::addColumn<double>("expected");
        // Sharma, Wu & Dalal's test data, pairs 1, 13, 17 and 25.
        QTest::newRow("pair 1") << Lab{50, 2.6772, -79.7751} << Lab{50, 0, -82.7485} << 2.0425;
        QTest::newRow("pair 13") << Lab{50, -1, 2} << Lab{50, 0, 0} << 2.3669;
        QTest::newRow("pair 17") << Lab{50, 2.5, 0} << Lab{73, 25, -18} << 27.1492;
        QTest::newRow("pair 25") << Lab{60.2574, -34.0099, 36.2677} << Lab{60.4626, -34.1751, 39.4387} << 1.2644;
    }
    void ciede2000MatchesPublishedPairs()
    {
        QFETCH(Lab, first);
        QFETCH(Lab, second);
        QFETCH(double, expected);
        QVERIFY(std::abs(ciede2000(first, second) - expected) < 5e-5);
    }

    void phasesOfOneStackLookDifferent_data()
    {
        QTest::addColumn<PhaseCatalog>("catalog");
        QTest::addColumn<int>("vision"); // 0 normal, 1 protanopia, 2 deuteranopia
        QTest::addColumn<double>("minimum");
        const std::array<std::pair<const char *, PhaseCatalog>, 3> catalogs{
            {{"trtllm", PhaseCatalog::trtllm()}, {"common", PhaseCatalog::common()}, {"sglang", PhaseCatalog::sglang()}}};
        for (const auto &[name, catalog] : catalogs) {
            QTest::addRow("%s, normal vision", name) << catalog << 0 << 20.0;
            QTest::addRow("%s, protanopia", name) << catalog << 1 << 10.0;
            QTest::addRow("%s, deuteranopia", name) << catalog << 2 << 10.0;
        }
    }
    void phasesOfOneStackLookDifferent()
    {
        QFETCH(PhaseCatalog, catalog);
        QFETCH(int, vision);
        QFETCH(double, minimum);
        const Matrix *matrix = vision == 1 ? &kProtanopia : vision == 2 ? &kDeuteranopia : nullptr;
        QStringList tooClose;
        for (int i = 0; i < catalog.size(); ++i) {
            for (int j = i + 1; j < catalog.size(); ++j) {
                const PhaseDefinition &first = catalog.at(i), &second = catalog.at(j);
                if (!shareAStack(first, second))
                    continue;
                const double difference = ciede2000(labOf(first.color, matrix), labOf(second.color, matrix));
                if (difference < minimum)
                    tooClose << QStringLiteral("%1 / %2: %3").arg(first.name, second.name).arg(difference, 0, 'f', 1);
            }
        }
        QVERIFY2(tooClose.isEmpty(), qPrintable(tooClose.join(QStringLiteral("; "))));
    }

    void everyPhaseStandsOutFromTheBackground_data()
    {
        QTest::addColumn<PhaseCatalog>("catalog");
        QTest::newRow("trtllm") << PhaseCatalog::trtllm();
        QTest::newRow("sglang") << PhaseCatalog::sglang(); // common() and more
    }
    void everyPhaseStandsOutFromTheBackground()
    {
        QFETCH(PhaseCatalog, catalog);
        const Lab white = labOf(0xFFFFFFFF, nullptr);
        for (const PhaseDefinition &phase : catalog.all())
            QVERIFY2(ciede2000(labOf(phase.color, nullptr), white) >= 15.0, qPrintable(phase.name));
    }
};

QTEST_APPLESS_MAIN(TestPhaseColors)
#include "tst_phasecolors.moc"
