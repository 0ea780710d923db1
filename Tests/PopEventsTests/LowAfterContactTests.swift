import XCTest
@testable import PopEvents
@testable import Simulation

/// A low sound just after a contact is that contact's heel thump (`PopConfig.lowAfterContactSeconds`): most false
/// events on event-free walks were "snaps" opened by the thump band 5–30 ms after a contact, before the wearer's
/// signature existed or where the heel strike varied more than its match distance.
final class LowAfterContactTests: XCTestCase {
    /// Events opened by the thump band (measured on it: no bandwidth) within 50 ms after a contact.
    static func lowAfterContact(_ events: [PopEvent], contacts: [Double]) -> [PopEvent] {
        events.filter { e in
            e.features.spectralBandwidthHz == 0
                && contacts.contains { e.tSeconds - $0 >= 0 && e.tSeconds - $0 <= 0.05 }
        }
    }

    /// Heel strikes of every documented thump shape, no joint sounds, brown-heavy body noise (the thump band's own
    /// noise, seed 31, 65 heel strikes each): no low event right after a contact with the rule (0 for every shape);
    /// without it (`lowAfterContactSeconds = 0`) 1 (the sharp 160 Hz thump on time) — the signature already rejects
    /// most of these controlled heel strikes; the rule's weight is on the varied ones of the validation walks.
    func testLowSoundsJustAfterContactsAreHeelStrikes() {
        var with = 0, without = 0
        for (name, base) in ContactSignatureTests.shapes {
            var m = base
            m.background.brown = 0.6
            m.background.white = 0.2
            let sc = ContactSignatureTests.scenario(m)
            for seed: UInt64 in [31] {
                let w = SimulatedWalk(sc, seed: seed)
                let on = Self.lowAfterContact(w.detect(), contacts: w.contacts)
                var off = PopConfig()
                off.lowAfterContactSeconds = 0
                let unruled = Self.lowAfterContact(w.detect(config: off), contacts: w.contacts)
                XCTAssertEqual(on.count, 0, "\(name), seed \(seed): \(on.map(\.tSeconds))")
                with += on.count
                without += unruled.count
            }
        }
        XCTAssertLessThan(with, without, "with the rule \(with), without \(without)")
    }
}
