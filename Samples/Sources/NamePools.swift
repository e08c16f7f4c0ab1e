/// Made-up names and places for sample records. A few names carry accents so that the samples
/// exercise what ASCII-only `COLLATE NOCASE` cannot fold (`Émile` vs `émile`).
enum NamePools {
    static let firstNames = [
        "Aaliyah", "Aarav", "Abigail", "Adebayo", "Aiko", "Alejandro", "Amara", "Amir", "Ana", "André",
        "Anika", "Arjun", "Astrid", "Beatriz", "Benjamin", "Bianca", "Björn", "Camila", "Carlos", "Chen",
        "Chloé", "Chidi", "Dana", "Daniel", "Dario", "Deepa", "Diego", "Elena", "Eli", "Émile",
        "Emma", "Farah", "Fatima", "Felix", "Freya", "Gabriel", "Grace", "Hamza", "Hana", "Hannah",
        "Hugo", "Ibrahim", "Imani", "Inés", "Isaac", "Ivan", "Jamal", "Jana", "Javier", "Jin",
        "Jordan", "José", "Julia", "Kai", "Kamala", "Kenji", "Kwame", "Laila", "Lars", "Leila",
        "Leon", "Li", "Lucas", "Lucía", "Maya", "Mateo", "Mei", "Mohammed", "Nadia", "Naomi",
        "Nikhil", "Noah", "Nora", "Oliver", "Olga", "Omar", "Paulo", "Priya", "Rafael", "Ravi",
        "Renée", "Rosa", "Ruth", "Sakura", "Samuel", "Sara", "Sebastian", "Sofia", "Søren", "Tariq",
        "Thandiwe", "Theo", "Tomás", "Uma", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zoë",
    ]

    static let lastNames = [
        "Abara", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brennan", "Castillo", "Chen",
        "Cole", "Costa", "Dubois", "Durand", "Eriksson", "Evans", "Fischer", "Fontaine", "Fujita", "Garcia",
        "Gonzaga", "Gupta", "Haddad", "Hansen", "Harris", "Hoffmann", "Ibarra", "Ito", "Jansen", "Jensen",
        "Kaya", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Laurent", "Lee", "Lindqvist", "Lopez",
        "Mahlangu", "Martin", "Mendes", "Menon", "Meyer", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak",
        "Nowak", "Okafor", "Okonkwo", "Oliveira", "Olsen", "Ortiz", "Osei", "Park", "Patel", "Perez",
        "Petrov", "Popescu", "Price", "Quinn", "Rahman", "Ramos", "Reyes", "Rossi", "Roux", "Russo",
        "Sato", "Schmidt", "Schneider", "Silva", "Singh", "Sokolov", "Suzuki", "Tanaka", "Torres", "Tran",
        "Vargas", "Virtanen", "Wagner", "Walsh", "Wang", "Weber", "Whitfield", "Wright", "Yamamoto", "Zhang",
    ]

    static let cities = [
        "Austin", "Boston", "Chicago", "Denver", "Seattle", "Portland", "San Diego", "Atlanta", "Toronto",
        "Vancouver", "Dublin", "Manchester", "Lisbon", "Madrid", "Lyon", "Munich", "Rotterdam", "Copenhagen",
        "Helsinki", "Warsaw", "Nairobi", "Lagos", "Cape Town", "Dubai", "Bangalore", "Singapore", "Osaka",
        "Melbourne", "Auckland", "São Paulo",
    ]

    static let titles = [
        "Account Manager", "Operations Lead", "Head of Marketing", "Procurement Officer", "IT Director",
        "Office Manager", "Data Analyst", "Sales Engineer", "Customer Success Manager", "CFO",
        "Founder", "Product Manager", "HR Business Partner", "Facilities Coordinator", "Purchasing Manager",
        "VP Sales", "Marketing Coordinator", "Software Engineer", "Consultant", "Logistics Planner",
    ]

    /// Companies on the reserved domains only: their people's addresses are never real ones.
    static let companies = [
        "Northwind Traders", "Contoso Logistics", "Fabrikam Foods", "Tailspin Toys", "Wingtip Partners",
        "Adventure Works", "Litware Systems", "Proseware Labs", "Lucerne Publishing", "Woodgrove Health",
        "Alpine Ski House", "Blue Yonder Air", "Coho Vineyard", "Margie's Travel", "Humongous Insurance",
        "Trey Research", "Fourth Coffee", "Graphic Design Institute", "Southridge Video", "Wide World Importers",
    ]

    static let industries = ["Retail", "Logistics", "Food & Beverage", "Healthcare", "Manufacturing",
                             "Financial Services", "Travel", "Education", "Software", "Media"]

    static let domains = ["example.com", "example.org", "example.net"]

    static let tiers = ["Gold", "Silver", "Bronze"]

    static let newsletterSources = ["Website footer", "Trade show 2025", "Partner referral", "Webinar signup",
                                    "Blog subscription", "Customer Summit 2025"]

    static let leadSources = ["Web Site", "Trade Show", "Cold Call", "Employee Referral", "Partner", "Webinar"]

    static let leadStatuses = ["Not Contacted", "Attempted to Contact", "Contact in Future", "Contacted",
                               "Pre-Qualified", "Junk Lead"]

    static let memberStatuses = ["Invited", "Sent", "Received", "Opened", "Responded", "Bounced"]

    /// Notes as sales people write them: some span lines, some carry commas and quotes, which
    /// is what makes a CSV export need quoting.
    static let notes = [
        "Met at the booth; wants a demo in Q1.",
        "Prefers email over phone.\nBest time to reach: mornings.",
        "Asked about volume pricing, \"enterprise\" tier.",
        "Renewal due in March.\nDecision maker: their CFO.\nBudget approved.",
        "Moved from the old CRM import, check the address.",
        "Referred by a partner, warm lead.",
        "Called twice, no answer.\nLeft voicemail on 3 Nov.",
    ]

    /// The name as an email address writes it: lower case, accents and punctuation dropped.
    static func emailWord(_ name: String) -> String {
        var word = ""
        for scalar in name.lowercased().unicodeScalars {
            if let plain = asciiFolding[scalar] {
                word.unicodeScalars.append(plain)
            } else if scalar.isASCII, scalar.properties.isAlphabetic {
                word.unicodeScalars.append(scalar)
            }
        }
        return word
    }

    private static let asciiFolding: [Unicode.Scalar: Unicode.Scalar] = [
        "é": "e", "è": "e", "ë": "e", "á": "a", "ã": "a", "í": "i", "ó": "o", "ö": "o", "ø": "o", "ú": "u",
    ]
}
