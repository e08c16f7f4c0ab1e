import Formats

/// The signups whose values Zoho refuses for their field's type (INVALID_DATA): what web forms
/// really send. Each takes one of the last plain new signups and gives one field the value a
/// form sent, so that no other record of the story, and no random draw, changes.
extension StoryOrg {
    static let invalidValues: [(field: String, value: String)] = [
        ("Phone", "() Not provided."),                          // the form's placeholder, sent as the phone
        ("Group_Size", "1-2 People"),                           // a dropdown's label, sent to an integer field
        ("Webinar_Registered_At", "2026-11-19T16:02:11.514Z"),  // JavaScript's toISOString(): a Z and milliseconds
        ("Phone", "+1 415 555 0147 ext 3"),                     // letters: refused unless phone_letters=allow
    ]

    mutating func plantInvalidValues() {
        for (offset, bad) in Self.invalidValues.enumerated() {
            batch[batch.count - 1 - offset][bad.field] = .string(bad.value)
        }
    }
}
