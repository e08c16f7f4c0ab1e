import Catalogue
import Foundation

/// The planted records of the story. Each method adds the contacts that make one outcome
/// happen and the signups of the batch that run into them. With default settings the check
/// pattern is Email (listed), then the unique Phone and Member_Number (appended).
extension StoryOrg {
    /// The causes of DUPLICATE_DATA: 14 + 9 + 6 + 4 = 33 of the 100 signups, and one more whose
    /// phone and member number both belong to others (one MULTIPLE_OR_MULTI_ERRORS wrapping two
    /// DUPLICATE_DATA): 34 records fail, with 35 DUPLICATE_DATA errors.
    mutating func plantCauses() {
        plantCaseTwins(14)
        plantSharedSwitchboards([("206", "Northwind Traders", 3), ("312", "Contoso Logistics", 2), ("415", "Fabrikam Foods", 4)],
                                signupsEach: 3)
        plantPhoneTakenByAnother(7)
        let phoneTaken = batch.count - 1
        plantMemberNumberTakenByAnother(4)
        plantMemberNumberToo(signup: phoneTaken, from: batch.count - 1)
    }

    /// The successes a user must see: bin emails, near misses, silent updates, in-batch repeats,
    /// and addresses held where upsert does not look (a Lead, a Secondary Email).
    mutating func plantSurprises() {
        plantRecycleBin(returning: 5, others: 7)
        plantNearMisses()
        plantUpdatesThroughPhone(3)
        plantUpdatesThroughEmail(6)
        plantSecondaryEmails(2)
        plantLeadHolders(3)
        plantRepeatInBatch()
    }

    /// (a) The same person twice, typed once by hand (`Jordan.Price@Example.com`) and once by a
    /// web form (`jordan.price@example.com`): NOCASE finds both, and with multi_match=error
    /// upsert refuses to choose, pointing at the older one with more_records=true.
    private mutating func plantCaseTwins(_ count: Int) {
        for _ in 0..<count {
            let (person, email) = newPerson()
            add(contact(person, email: Self.titleCased(email), from: "2021-01-10", to: "2023-06-30"))
            add(contact(person, email: email, from: "2024-01-08", to: "2026-10-31"))
            batch.append(signup(person, email: email))
        }
    }

    /// (b) Contacts imported in 2019-20, before Phone was made unique, all carrying their
    /// company's switchboard. A new signup from that company gives the switchboard: its email
    /// is new, but the appended Phone check finds several holders.
    private mutating func plantSharedSwitchboards(_ companies: [(area: String, name: String, holders: Int)], signupsEach: Int) {
        for company in companies {
            let board = FictionalPhones.switchboard(area: company.area)
            for _ in 0..<company.holders {
                let (person, email) = newPerson()
                var row = contact(person, email: email, from: "2019-03-01", to: "2020-10-30", phone: false)
                row.phone = board
                row.description = "Imported from the 2020 trade-show list (\(company.name)).\nPhone is the switchboard."
                add(row)
            }
            for _ in 0..<signupsEach {
                let (person, email) = newPerson()
                batch.append(signup(person, email: email, phone: board))
            }
        }
    }

    /// (c) The email finds the person's own contact, but the phone on the form belongs to
    /// another contact (a shared desk line, a number that changed hands): keeping Phone unique
    /// fails, pointing at that other contact.
    private mutating func plantPhoneTakenByAnother(_ count: Int) {
        for _ in 0..<count {
            let (person, email) = newPerson()
            add(contact(person, email: email, phone: false))
            let (other, otherEmail) = newPerson()
            var previous = contact(other, email: otherEmail, phone: false)
            previous.phone = phones.next()
            add(previous)
            batch.append(signup(person, email: email, phone: previous.phone))
        }
    }

    /// (d) The form asked for a member number, and these people typed one that another contact
    /// holds (a colleague's card, a typo): the custom unique field clashes.
    private mutating func plantMemberNumberTakenByAnother(_ count: Int) {
        for _ in 0..<count {
            let (person, email) = newPerson()
            var holder = contact(person, email: email)
            holder.memberNumber = ""
            add(holder)
            let (other, otherEmail) = newPerson()
            var cardholder = contact(other, email: otherEmail)
            if cardholder.memberNumber.isEmpty { cardholder.memberNumber = memberNumbers.removeLast() }
            add(cardholder)
            batch.append(signup(person, email: email, memberNumber: cardholder.memberNumber))
        }
    }

    /// (e) One of the signups of (c) also typed the member number that a signup of (d) typed, which
    /// another contact holds: its record clashes on two unique fields at once. Made from signups
    /// already planted, so no other record of the story changes.
    private mutating func plantMemberNumberToo(signup: Int, from other: Int) {
        batch[signup]["Member_Number"] = batch[other]["Member_Number"]
    }

    /// Contacts deleted in the weeks before the export: in the older export with all their
    /// fields, then in the deleted-records list. `returning` of them sign up again; by default
    /// the bin does not count and they are inserted (DUPLICATE_DATA under recycle_bin_counts=true).
    private mutating func plantRecycleBin(returning: Int, others: Int) {
        for index in 0..<(returning + others) {
            let (person, email) = newPerson()
            var row = contact(person, email: email, from: "2022-01-01", to: "2026-06-30")
            row.modified = min(row.modified, SampleOrgClock.olderExport - 5 * 86_400)
            binned.append(row)
            if index < returning { batch.append(signup(person, email: email)) }
        }
    }

    /// Stored addresses that differ from the signup's only in ways NOCASE does not fold: a
    /// trailing no-break space (pasted from a web page), a capital non-ASCII letter, a
    /// zero-width space. Inserts under match=nocase; updates under match=unicode.
    private mutating func plantNearMisses() {
        for _ in 0..<2 {
            let (person, email) = newPerson()
            add(contact(person, email: email + "\u{00A0}", phone: false))
            batch.append(signup(person, email: email))
        }
        for (first, shout) in [("Émile", false), ("Zoë", true)] {
            var person = Person(&random)
            person.first = first
            let email = person.accentedEmail(domain: random.pick(NamePools.domains))
            takenEmails.insert(email)
            add(contact(person, email: shout ? email.uppercased() : Self.titleCased(email), phone: false))
            batch.append(signup(person, email: email))
        }
        let (person, email) = newPerson()
        add(contact(person, email: email.replacingOccurrences(of: "@", with: "\u{200B}@"), phone: false))
        batch.append(signup(person, email: email))
    }

    /// The email is new, and exactly one contact holds the phone: upsert finds it through the
    /// appended Phone check and overwrites it, name and email included. The first is the same
    /// person with a new address; the others are strangers who inherited a number.
    private mutating func plantUpdatesThroughPhone(_ count: Int) {
        for index in 0..<count {
            let (holderPerson, holderEmail) = newPerson()
            var holder = contact(holderPerson, email: holderEmail, phone: false)
            holder.phone = phones.next()
            updatedByBatch.append(add(holder))
            let (person, email) = index == 0 ? (holderPerson, newAddress(for: holderPerson)) : newPerson()
            batch.append(signup(person, email: email, phone: holder.phone))
        }
    }

    /// Existing contacts signing up again: plain updates, one of them found only through case.
    private mutating func plantUpdatesThroughEmail(_ count: Int) {
        for index in 0..<count {
            let (person, email) = newPerson()
            let holder = add(contact(person, email: index == 0 ? Self.titleCased(email) : email))
            updatedByBatch.append(holder)
            let phone = contacts[holder].phone
            batch.append(signup(person, email: email, phone: index.isMultiple(of: 2) && !phone.isEmpty ? phone : nil))
        }
    }

    /// A contact's personal address sits in Secondary Email, which upsert does not check
    /// (it is not unique): signing up with it inserts a second contact for the same person.
    private mutating func plantSecondaryEmails(_ count: Int) {
        for _ in 0..<count {
            let (person, personal) = newPerson()
            let work = newAddress(for: person)
            var row = contact(person, email: work)
            row.secondaryEmail = personal
            add(row)
            batch.append(signup(person, email: personal))
        }
    }

    /// Addresses held by a Lead only: a Contacts upsert never checks Leads, so they insert.
    private mutating func plantLeadHolders(_ count: Int) {
        for _ in 0..<count {
            let (person, email) = newPerson()
            leadHolders.append((person, email))
            batch.append(signup(person, email: email))
        }
    }

    /// One person submitted the form twice: with batch_visibility=sequential the second row
    /// updates the contact the first one created.
    private mutating func plantRepeatInBatch() {
        let (person, email) = newPerson()
        batch.append(signup(person, email: email, phone: phones.next()))
        var again = person
        again.city = random.pick(NamePools.cities)
        batch.append(signup(again, email: email))
    }

    // MARK: The rest of the org and the batch

    /// Contacts with nothing special about them.
    mutating func addFiller(count: Int) {
        fillerStart = contacts.count
        for _ in 0..<count {
            let (person, email) = newPerson()
            add(contact(person, email: email))
        }
    }

    /// Signups that are simply new.
    mutating func addNewSignups(count: Int) {
        for _ in 0..<count {
            let (person, email) = newPerson()
            let phone = random.percent(60) ? phones.next() : nil
            batch.append(signup(person, email: email, phone: phone,
                                memberNumber: random.percent(15) ? memberNumbers.removeLast() : nil))
        }
    }

    /// `jordan.price@example.com` → `Jordan.Price@Example.com`: every word capitalised.
    static func titleCased(_ email: String) -> String {
        var result = ""
        var startOfWord = true
        for character in email {
            result += startOfWord ? character.uppercased() : String(character)
            startOfWord = ".@_".contains(character)
        }
        return result
    }
}
