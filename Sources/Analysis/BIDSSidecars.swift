import Foundation

/// The JSON sidecars of the BIDS motion export (docs/REPORT-FORMAT.md), as `Codable` values like every other JSON
/// gaitpop writes. Their keys are the BIDS standard's (PascalCase, `BIDSVersion`, …), spelled out in `CodingKeys`
/// and encoded without key conversion: a validator accepts only the standard's names.
enum BIDSSidecars {
    static func text<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }

    /// `dataset_description.json`.
    struct DatasetDescription: Encodable {
        struct Generator: Encodable {
            var name: String
            var description: String
            enum CodingKeys: String, CodingKey { case name = "Name", description = "Description" }
        }
        var name = "gaitpop walk recording"
        var bidsVersion = "1.10.0"
        var datasetType = "raw"
        var generatedBy: [Generator]
        enum CodingKeys: String, CodingKey {
            case name = "Name", bidsVersion = "BIDSVersion", datasetType = "DatasetType", generatedBy = "GeneratedBy"
        }
    }

    /// `*_motion.json`: sampling, channel counts (zero counts said outright, so a reader need not guess whether a
    /// channel type was forgotten), device and software.
    struct Motion: Encodable {
        var taskName: String
        var taskDescription = "walking with a sensor on the lower back"
        var trackingSystemName = "gaitpop hip sensor"
        var samplingFrequency: Double
        var samplingFrequencyEffective: Double?
        var motionChannelCount: Int
        var accelChannelCount = 3
        var gyroChannelCount: Int
        var latencyChannelCount = 1
        var trackedPointsCount = 1
        var recordingDuration: Double
        var missingValues = "n/a"
        var posChannelCount = 0, velChannelCount = 0, orntChannelCount = 0, magnChannelCount = 0
        var angaccelChannelCount = 0, jntangChannelCount = 0, miscChannelCount = 0
        var subjectArtefactDescription = "n/a"
        var instructions = "walk as usual with the sensor on the lower back"
        var softwareVersions: String
        var manufacturer: String?
        var manufacturersModelName: String?
        var deviceSerialNumber: String?

        enum CodingKeys: String, CodingKey {
            case taskName = "TaskName", taskDescription = "TaskDescription", trackingSystemName = "TrackingSystemName"
            case samplingFrequency = "SamplingFrequency", samplingFrequencyEffective = "SamplingFrequencyEffective"
            case motionChannelCount = "MotionChannelCount", accelChannelCount = "ACCELChannelCount"
            case gyroChannelCount = "GYROChannelCount", latencyChannelCount = "LATENCYChannelCount"
            case trackedPointsCount = "TrackedPointsCount", recordingDuration = "RecordingDuration"
            case missingValues = "MissingValues", posChannelCount = "POSChannelCount", velChannelCount = "VELChannelCount"
            case orntChannelCount = "ORNTChannelCount", magnChannelCount = "MAGNChannelCount"
            case angaccelChannelCount = "ANGACCELChannelCount", jntangChannelCount = "JNTANGChannelCount"
            case miscChannelCount = "MISCChannelCount", subjectArtefactDescription = "SubjectArtefactDescription"
            case instructions = "Instructions", softwareVersions = "SoftwareVersions", manufacturer = "Manufacturer"
            case manufacturersModelName = "ManufacturersModelName", deviceSerialNumber = "DeviceSerialNumber"
        }
    }

    /// One column of `*_events.json`.
    struct Column: Encodable {
        var description: String
        var units: String?
        var levels: [String: String]?
        enum CodingKeys: String, CodingKey { case description = "Description", units = "Units", levels = "Levels" }
    }

    /// `*_events.json`: what each column of events.tsv holds.
    static let eventColumns: [String: Column] = [
        "onset": Column(description: "seconds from the first sample of the recording (the motion.tsv onset)", units: "s"),
        "duration": Column(description: "event length; 0 for instants", units: "s"),
        "trial_type": Column(description: "what happened", levels: [
            "initial_contact": "a foot's initial contact (heel strike), from gaitpop's gait engine",
            "final_contact": "a foot's final contact (toe off)",
            "pop": "a joint sound heard by the contact microphone; kind says which",
            "marker": "the wearer pressed the sensor's button or a key; kind says which",
            "alert": "an alert gaitpop raised; value says which rule"]),
        "side": Column(description: "foot of a contact",
                       levels: ["left": "left foot", "right": "right foot", "n/a": "unknown or not a contact"]),
        "kind": Column(description: "pop kind (cavitation, snap, grind, unknown) or marker kind (pain, button, note)"),
        "cycle_percent": Column(description: "a pop's time in the gait cycle (0-100 from the left initial contact)",
                                units: "%"),
        "value": Column(description: "free text: a note's words or an alert's rule"),
    ]
}
