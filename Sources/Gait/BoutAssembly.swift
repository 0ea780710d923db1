/// Walking bouts by the Mobilise-D convention (Kluge et al. 2021, "Consensus based framework for digital mobility
/// monitoring", PLoS ONE 16: e0256541; mobgap's `WbAssembly` with `MaxBreakCriteria(3 s)` and
/// `NStridesCriteria(2)`): a walking bout (WB) holds at least two strides, a break of more than 3 s between one
/// stride's last contact and the next one's first contact ends it, and shorter breaks are merged into the bout.
///
/// The input is the runs of walking steps found by the periodicity rules (consecutive initial contacts no further
/// apart than STEP_MAX, `GaitConfig.maxStepSeconds`), each given by its IC times. A run of n ICs holds n − 2 strides
/// of alternating feet (stride = IC k → IC k + 2). Runs whose breaks are ≤ `maxBreakSeconds` form one group; a group
/// with at least `minStrides` strides in all is a bout, and every contact of every run in it is kept, so the bout
/// starts at its first IC and ends at its last IC (its edges keep their contacts) and a short fragment next to a
/// longer run (a hesitation, a stop at a door) is part of that bout instead of being lost. A group with fewer
/// strides — a single stride on its own — is not walking.
///
/// Pure and O(runs), so it is tested on synthetic contact sequences (Tests/GaitTests/BoutAssemblyTests.swift).
public enum BoutAssembly {
    /// Run indices of each bout, in time order; runs in no bout are left out.
    public static func group(runICSeconds runs: [[Double]], maxBreakSeconds: Double, minStrides: Int) -> [[Int]] {
        var out: [[Int]] = []
        var current: [Int] = []
        var strides = 0
        var lastIC: Double?
        func close() {
            if !current.isEmpty && strides >= minStrides { out.append(current) }
            current.removeAll()
            strides = 0
        }
        for (ri, ics) in runs.enumerated() {
            guard let first = ics.first, let last = ics.last else { continue }
            if let l = lastIC, first - l > maxBreakSeconds { close() }
            current.append(ri)
            strides += Swift.max(0, ics.count - 2)
            lastIC = last
        }
        close()
        return out
    }

    /// For each run, the bout it belongs to (index into the result of `group`), or nil.
    public static func boutOfRun(_ groups: [[Int]], runCount: Int) -> [Int?] {
        var map = [Int?](repeating: nil, count: runCount)
        for (bi, g) in groups.enumerated() { for r in g { map[r] = bi } }
        return map
    }
}
