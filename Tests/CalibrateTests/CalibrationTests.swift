import Engine
import Replay
import Testing
@testable import Calibrate

/// The search space and the weighing of evidence, on scores made by hand: which items each
/// combination reproduces decides what each setting's verdict is.
struct CalibrationTests {
    @Test func everyCombinationOfTheSearchedSettingsOnce() {
        let calibrator = Calibrator(path: "", input: ReplayInput(), real: nil, base: Settings(), asOf: nil)
        let combinations = calibrator.combinations()
        // Every setting that can change a verdict, and rerelate, which changes a membership's answer.
        #expect(Set(Calibrator.keys) == Set(Evaluator.alternativeKeys + [.rerelate]))
        #expect(!Calibrator.keys.contains(.batchLimit))
        #expect(combinations.count == 1 << Calibrator.keys.count)
        #expect(Set(combinations.map { combination in Calibrator.keys.map { combination.value($0) } }).count == combinations.count)
        #expect(combinations.first == Settings(), "the defaults come first")
    }

    /// Over the two settings recycle_bin_counts and match: item 0 is reproduced only with the bin
    /// counting, item 1 only without it (a contradiction), item 2 only under match=unicode, item 3
    /// always, item 4 never.
    @Test func decidedContradictedAndNoEvidence() throws {
        var combinations: [Settings] = []
        for bin in ["false", "true"] {
            for match in ["nocase", "unicode"] {
                var settings = Settings()
                try settings.set(.recycleBinCounts, bin)
                try settings.set(.match, match)
                combinations.append(settings)
            }
        }
        func score(_ settings: Settings) -> Score {
            let bin = settings.recycleBinCounts, unicode = settings.match == .unicode
            let matched = [bin, !bin, unicode, true, false]
            return Score(items: (0..<5).map { ItemKey(request: 0, item: $0) }, matched: matched, differences: [])
        }
        let calibration = Calibration(keys: [.recycleBinCounts, .match, .multiMatch], combinations: combinations,
                                      scores: combinations.map(score), base: Settings(), unexplained: [])
        #expect(calibration.total == 5)
        let verdicts = Dictionary(uniqueKeysWithValues: calibration.evidence.map { ($0.key, $0.verdict) })
        #expect(verdicts[.recycleBinCounts] == .contradicted)
        #expect(verdicts[.match] == .decided("unicode"))
        #expect(verdicts[.multiMatch] == .noEvidence)
        let bin = try #require(calibration.evidence.first { $0.key == .recycleBinCounts })
        #expect(bin.needs.map(\.items) == [1, 1])
        #expect(calibration.decided.map(\.key) == [.match])
        // Best: 3 of 5, and of the two combinations with 3, the one that changes less.
        #expect(calibration.best?.matched == 3)
        #expect(calibration.best?.changed == [.match])
    }
}
