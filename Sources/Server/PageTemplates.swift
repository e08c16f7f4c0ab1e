import Mustache

/// The pages' templates, compiled into the binary (an installed tool has no files beside it).
/// `{{x}}` is HTML-escaped, quotes included; the triple form appears only for markup built here
/// from escaped parts (the chart). Every meaning carried by colour is also a word.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("layout", layout), ("home", home), ("why", why), ("record", record), ("replay", replay),
                             ("settings", settings), ("problem", problem)] {
            // The templates are ours and fixed: one that does not parse is a bug the first test shows.
            try! library.register(text, named: name)
        }
        return library
    }()

    static let style = """
        body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;max-width:90rem;padding:0 1rem;color:#1a1a1a}
        nav a{margin-right:1rem} table{border-collapse:collapse;margin:.5rem 0 1rem} th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#eee} code,.value{font-family:ui-monospace,monospace;white-space:pre-wrap}
        .banner{border:2px solid;padding:.5rem 1rem;margin:1rem 0} .fails{border-color:#b00020;background:#fde8ea} .passes{border-color:#1b5e20;background:#e8f5e9}
        a:focus,button:focus,input:focus,select:focus,textarea:focus,summary:focus{outline:3px solid #1565c0;outline-offset:2px}
        label{display:block;margin:.5rem 0 .2rem;font-weight:600} textarea{width:100%;min-height:10rem} .bar{fill:#b00020}
        """

    static let layout = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{title}} · crm-replica</title>
        <meta name="viewport" content="width=device-width, initial-scale=1"><style>{{{style}}}</style></head>
        <body><nav aria-label="Pages"><a href="/">Home</a><a href="/replay">Replay a batch</a><a href="/settings">Settings</a></nav>
        <main><h1>{{title}}</h1>{{{content}}}</main></body></html>
        """

    static let search = """
        <form action="/why" method="get" role="search"><label for="value">Why is this email a duplicate?</label>
        <input id="value" name="value" size="40" value="{{value}}" required>
        <label for="module">Module</label><select id="module" name="module">{{#modules}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/modules}}</select>
        <label for="operation">Operation</label><select id="operation" name="operation">{{#operations}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/operations}}</select>
        <button type="submit">Explain</button></form>
        """

    static let home = """
        \(search)
        <h2>The replica</h2>
        <table><caption>Records stored in {{database}}</caption><thead><tr><th scope="col">What</th><th scope="col">Count</th></tr></thead>
        <tbody>{{#counts}}<tr><th scope="row">{{name}}</th><td>{{count}}</td></tr>{{/counts}}</tbody></table>
        <h2>Loaded from</h2>
        {{#has_imports}}<table><thead><tr><th scope="col">When</th><th scope="col">File</th><th scope="col">Module</th><th scope="col">Records</th></tr></thead>
        <tbody>{{#imports}}<tr><td>{{time}}</td><td class="value">{{file}}</td><td>{{module}}</td><td>{{records}}</td></tr>{{/imports}}</tbody></table>{{/has_imports}}
        {{^imports}}<p>Nothing loaded yet.</p>{{/imports}}
        <h2>Settings</h2>\(settingsTable)
        """

    static let settingsTable = """
        <table><thead><tr><th scope="col">Setting</th><th scope="col">Value</th><th scope="col">Source</th><th scope="col">What it decides</th></tr></thead>
        <tbody>{{#settings}}<tr><th scope="row"><code>{{key}}</code></th><td><code>{{value}}</code></td><td>{{source}}</td><td>{{decides}}</td></tr>{{/settings}}</tbody></table>
        """

    static let settings = """
        \(settingsTable)
        {{#calibration}}<p>{{.}}</p>{{/calibration}}
        <p>Every verdict names the settings it rests on; a setting whose source is "default" is a guess about your org until
        <code>crm-replica calibrate</code> has checked it against Zoho's real answers.</p>
        """

    static let holders = """
        <table><caption>Who holds it</caption><thead><tr><th scope="col">Module</th><th scope="col">Where</th><th scope="col">Record id</th>
        <th scope="col">Field</th><th scope="col">Stored value</th><th scope="col">Match</th><th scope="col">Counts</th></tr></thead>
        <tbody>{{#matches}}<tr><td>{{module}}</td><td>{{location}}</td><td><a href="/records/{{record_id}}">{{record_id}}</a></td><td>{{field}}</td>
        <td class="value">{{stored_value}}</td><td>{{match}}</td><td>{{counts}}</td></tr>{{/matches}}</tbody></table>
        """

    static let why = """
        \(search)
        {{#batch}}<p>Row {{row}} of the batch <span class="value">{{file}}</span>, judged after the rows and requests before it, as the replay ran them.</p>{{/batch}}
        <section class="banner {{#fails}}fails{{/fails}}{{^fails}}passes{{/fails}}" aria-label="Verdict">
        <p><strong>{{code}}</strong>{{#action}} ({{.}}){{/action}}{{#record_id}}: because of <a href="/records/{{.}}">record {{.}}</a>{{/record_id}}</p>
        <p>{{reason}}</p></section>
        {{#has_matches}}\(holders){{/has_matches}}{{^matches}}<p>No record holds this value.</p>{{/matches}}
        {{#has_depends_on}}<h2>What would change it</h2><ul>{{#depends_on}}<li>with <code>{{setting}}={{other_value}}</code>: <strong>{{code}}</strong>{{#action}} ({{.}}){{/action}}. {{reason}}</li>{{/depends_on}}</ul>{{/has_depends_on}}
        {{#has_advice}}<h2>What you can do</h2><ul>{{#advice}}<li>{{.}}</li>{{/advice}}</ul>{{/has_advice}}
        {{#has_notes}}<h2>Notes</h2><ul>{{#notes}}<li>{{.}}</li>{{/notes}}</ul>{{/has_notes}}
        """

    static let record = """
        <p>{{module}} record, <strong>{{place}}</strong>{{#deleted}}: deleted {{time}} by {{by}}{{/deleted}}.</p>
        {{#partial}}<p>Only the deleted-records list knows this record; its fields are unknown.</p>{{/partial}}
        <table><caption>Every field as stored</caption><thead><tr><th scope="col">Field</th><th scope="col">Value</th></tr></thead>
        <tbody>{{#fields}}<tr><th scope="row"><code>{{name}}</code></th><td class="value">{{value}}</td></tr>{{/fields}}</tbody></table>
        <h2>Campaigns</h2>{{#has_campaigns}}<ul>{{#campaigns}}<li>{{.}}</li>{{/campaigns}}</ul>{{/has_campaigns}}{{^campaigns}}<p>None.</p>{{/campaigns}}
        <h2>Other records with the same values</h2>
        {{#shared}}<h3><code>{{field}}</code> = <span class="value">{{value}}</span></h3>{{#has_matches}}\(holders){{/has_matches}}{{^matches}}<p>No other record holds it.</p>{{/matches}}{{/shared}}
        {{^shared}}<p>This record has no Email, Secondary_Email or unique field value.</p>{{/shared}}
        """

    static let replay = """
        {{#report}}
        <p>A dry run: nothing was written to the replica. To try other settings, change them in the form below and run the batch again.</p>
        <h2>Summary</h2><p id="summary">{{summary}}</p>
        {{#chart}}<figure><svg role="img" aria-labelledby="chart-title" width="1100" height="{{height}}" viewBox="0 0 1100 {{height}}">
        <title id="chart-title">Why rows fail: one bar per cause, with its count</title>{{#bars}}<text x="0" y="{{text_y}}" font-size="13">{{label}}</text>
        <rect class="bar" x="0" y="{{y}}" width="{{width}}" height="16"></rect><text x="{{count_x}}" y="{{count_y}}" font-size="13">{{count}}</text>{{/bars}}</svg>
        <figcaption>Why rows fail, by cause (each bar is labelled with its count)</figcaption></figure>{{/chart}}
        {{#has_surprises}}<h2>Surprises among the successes</h2><ul>{{#surprises}}<li>{{.}}</li>{{/surprises}}</ul>{{/has_surprises}}
        {{#has_differences}}<h2>Compared with Zoho's real answers</h2><ul>{{#differences}}<li>{{.}}</li>{{/differences}}</ul>{{/has_differences}}
        {{#compared}}<p>{{.}}</p>{{/compared}}
        <table id="rows"><caption>Row by row</caption><thead><tr><th scope="col">Row</th><th scope="col">Email</th><th scope="col">Unique fields</th>
        <th scope="col">Outcome</th><th scope="col">Cause</th><th scope="col">Holder</th>{{#real}}<th scope="col">Real answer</th>{{/real}}<th scope="col">Why</th></tr></thead>
        <tbody>{{#rows}}<tr class="{{code}}"><td>{{row}} <small>({{label}})</small></td><td class="value">{{email}}</td><td class="value">{{unique}}</td><td><strong>{{code}}</strong>{{#action}} ({{.}}){{/action}}</td>
        <td>{{reason}}</td><td>{{#holder}}<a href="/records/{{.}}">{{.}}</a>{{/holder}}</td>{{#real}}<td>{{real_code}}</td>{{/real}}
        <td>{{#why}}<a href="{{.}}">Why?</a>{{/why}}</td></tr>{{/rows}}</tbody></table>
        {{/report}}
        <h2>Replay a batch</h2>
        <form action="/replay" method="post" enctype="multipart/form-data">
        <p>A dry run: nothing is written to the replica.</p>
        <label for="payload">Paste a payload, request log or HAR capture</label><textarea id="payload" name="payload">{{payload}}</textarea>
        <label for="file">Or upload a file (payload, request log, HAR or Bulk Write CSV; at most {{limit}})</label><input id="file" name="file" type="file">
        <label for="module">Module</label><select id="module" name="module">{{#modules}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/modules}}</select>
        <label for="operation">Operation</label><select id="operation" name="operation">{{#operations}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/operations}}</select>
        <label for="find_by">Bulk Write find_by (CSV only)</label><input id="find_by" name="find_by" value="{{find_by}}">
        <label for="set">Settings for this run (KEY=VALUE, one a line)</label><textarea id="set" name="set" style="min-height:3rem">{{set}}</textarea>
        <p><button type="submit" name="download" value="">Replay (dry run)</button>
        <button type="submit" name="download" value="json">Download Zoho's answers (JSON)</button>
        <button type="submit" name="download" value="csv">Download a Bulk Write result CSV</button></p></form>
        """

    static let problem = """
        <p role="alert">{{message}}</p><p><a href="{{back}}">Back</a></p>
        """
}
