//! Demo content for `liveline demo`: a fictional storm, Storm Ilse, hitting
//! the fictional coastal city of Marrowick, told as a stream of published
//! live updates.
//!
//! The same generator feeds demos and benchmarks of up to 100,000 entries, so
//! it is built for speed: text comes from fixed templates with `{slot}`
//! placeholders filled from small pools and written straight into the output
//! strings, with no parsing beyond one pass over each template. Variety comes from combining
//! pools (districts, streets, people, numbers, times), not from long lists of
//! sentences.
//!
//! Paragraph templates carry a tiny markup, expanded into spans:
//! `*bold*`, `_italic_` and `[link text](kind)`, where `kind` names one of
//! the fixed link targets in `link_url`.

use std::fmt::Write as _;

use rand::{rngs::StdRng, Rng, SeedableRng};

use crate::blocks::{normalize_spans, Block, Span};

/// The blog `liveline demo` creates when the slug is new.
pub const BLOG_TITLE: &str = "Storm Ilse hits Marrowick: live updates";
pub const BLOG_SUMMARY: &str = "Storm Ilse makes landfall on the coast of Marrowick, with gusts over 120 km/h, \
     flooding in the harbour districts and thousands of homes without power. (Fictional demo coverage.)";
pub const BLOG_TIMEZONE: &str = "Europe/London";

/// One generated update, ready to be stored as a published entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoEntry {
    pub title: String,
    pub author: String,
    pub blocks: Vec<Block>,
    pub key_event: bool,
}

/// An endless stream of updates in story order; take as many as needed.
///
/// Deterministic for a given seed: the same seed gives the same entries
/// (with the same build; the random generator's stream may change between
/// versions of `rand`).
pub fn entries(seed: u64) -> impl Iterator<Item = DemoEntry> {
    Generator::new(seed)
}

// ---------------------------------------------------------------------------
// The cast and the map. Everything here is invented.
// ---------------------------------------------------------------------------

const CITY: &str = "Marrowick";
const STORM: &str = "Storm Ilse";

/// The correspondents filing updates.
const AUTHORS: &[&str] = &[
    "Amara Quist",
    "Tomas Velde",
    "Priya Lindqvist",
    "Jonah Ashdown",
    "Helena Sarr",
    "Oskar Dunmore",
    "Rosa Ferrante",
    "Kit Achterberg",
];

const DISTRICTS: &[&str] = &[
    "Old Harbour",
    "Saltmarsh",
    "Quayside",
    "Fennel Hill",
    "Lantern Row",
    "North Strand",
    "Cobble End",
    "Greywater",
    "Narrowgate",
    "Tidewell",
    "Beacon Point",
    "Millbrook",
    "Sandgate",
    "Kestrel Park",
    "Westcliff",
    "Ropeyard",
];

const STREETS: &[&str] = &[
    "Rope Walk",
    "Chandler Street",
    "Esplanade Road",
    "Tollgate Road",
    "Ferry Lane",
    "Breakwater Drive",
    "Anchor Street",
    "Gull Terrace",
    "Harbour Road",
    "Mill Lane",
    "Sexton's Row",
    "Pilot Street",
    "Lowmoor Road",
    "Seawall Parade",
];

/// Rest centres, donation points and help desks.
const VENUES: &[&str] = &[
    "Marrowick Sports Centre",
    "Fennel Hill Primary School",
    "the Corn Exchange",
    "St Aldric's church hall",
    "Kestrel Park Leisure Centre",
    "the university's Grange Hall",
    "Northgate Community Centre",
    "the old Drill Hall",
];

/// Who is out in the weather; always used at the start of a sentence.
const SERVICES: &[&str] = &[
    "Fire crews",
    "Lifeboat volunteers",
    "Coastguard teams",
    "Police officers",
    "Council workers",
    "Paramedics",
    "Volunteer rescue teams",
];

/// A named official. What they say lives with each chapter, so a quote
/// always fits both its speaker and the moment.
#[derive(Clone, Copy)]
struct Official {
    name: &'static str,
    role: &'static str,
}

const MAYOR: Official = Official {
    name: "Ines Calloway",
    role: "mayor of Marrowick",
};
const FORECASTER: Official = Official {
    name: "Felix Arundel",
    role: "duty forecaster at the Coastal Weather Service",
};
const FIRE_CHIEF: Official = Official {
    name: "Maeve Orr",
    role: "station commander at Marrowick Fire and Rescue",
};
const HARBOUR_MASTER: Official = Official {
    name: "Gideon Pryce",
    role: "harbour master",
};
const POLICE_CHIEF: Official = Official {
    name: "Ruth Kaplan",
    role: "police superintendent",
};
const COORDINATOR: Official = Official {
    name: "Samir Haddow",
    role: "emergency coordinator at Marrowick City Council",
};
const COXSWAIN: Official = Official {
    name: "Lotte Brennan",
    role: "lifeboat coxswain",
};
const DOCTOR: Official = Official {
    name: "Anselm Ferris",
    role: "medical director at St Brannoc's Hospital",
};

/// A line and who says it: a named official, or (`None`) a resident made up
/// on the spot from the name and role pools.
#[derive(Clone, Copy)]
struct Quote {
    by: Option<Official>,
    line: &'static str,
}

const fn said(by: Official, line: &'static str) -> Quote {
    Quote { by: Some(by), line }
}

const fn resident(line: &'static str) -> Quote {
    Quote { by: None, line }
}

/// Residents are made from first name x last name x role: 16 x 16 x 10
/// combinations, so the same person rarely speaks twice.
const FIRST_NAMES: &[&str] = &[
    "Elsie",
    "Marcus",
    "Fatima",
    "Declan",
    "Wen",
    "Bridget",
    "Kofi",
    "Agnieszka",
    "Rhys",
    "Leila",
    "Hamish",
    "Noor",
    "Callum",
    "Ingrid",
    "Tobias",
    "Mirela",
];

const LAST_NAMES: &[&str] = &[
    "Penhallow",
    "Okafor",
    "Strand",
    "Whitcombe",
    "Nakamura",
    "Doyle",
    "Farrant",
    "Kowalczyk",
    "Mendes",
    "Treloar",
    "Baptiste",
    "Ellery",
    "Hussain",
    "Gravely",
    "Lund",
    "Castellan",
];

const RESIDENT_ROLES: &[&str] = &[
    "resident of {district}",
    "shop owner on {street}",
    "volunteer at {venue}",
    "retired fisherman from {district}",
    "night-shift nurse",
    "student living in {district}",
    "café owner in {district}",
    "bus driver",
    "grandmother from {district}",
    "landlord on {street}",
];

/// A map embed: which layer it shows, and the intro that explains it. Maps
/// fit any moment of the story; videos belong to a chapter.
#[derive(Clone, Copy)]
struct MapView {
    layer: &'static str,
    intro: &'static str,
}

const MAP_VIEWS: &[MapView] = &[
    MapView {
        layer: "flooding",
        intro: "Flood risk areas in and around {district}, as mapped by the council:",
    },
    MapView {
        layer: "closures",
        intro: "Road closures around {district} as of {time}:",
    },
    MapView {
        layer: "shelters",
        intro: "Rest centres and help points across {city}:",
    },
    MapView {
        layer: "power",
        intro: "Power cuts reported in {district}, on the supplier's live map:",
    },
];

// ---------------------------------------------------------------------------
// The story, in four chapters. Each has its own stories (a title and the lead
// paragraph that goes with it), follow-up paragraphs, and its own scale of
// numbers: gusts fall and outages shrink as the story moves on.
// ---------------------------------------------------------------------------

/// A headline and the lead paragraph that tells it, so an entry's first
/// lines match its title.
#[derive(Clone, Copy)]
struct Story {
    title: &'static str,
    lead: &'static str,
}

const fn story(title: &'static str, lead: &'static str) -> Story {
    Story { title, lead }
}

struct Chapter {
    stories: &'static [Story],
    key_stories: &'static [Story],
    /// Paragraphs that can follow any lead in this chapter.
    more: &'static [&'static str],
    quotes: &'static [Quote],
    /// Intros for video embeds; each ends with ':' as it leads into the clip.
    videos: &'static [&'static str],
    /// When the chapter opens: minutes after midnight, and whole days
    /// skipped before it, so landfall falls at night and the clean-up in
    /// daylight.
    opens_at: u64,
    days_later: u64,
    /// Gust speeds in km/h.
    gusts: (u32, u32),
    /// Homes without power.
    homes: (u32, u32),
}

/// Entries per chapter. The four chapters repeat for long runs: a 100,000
/// entry benchmark is never read in order, but a demo blog of a few hundred
/// entries reads as one storm from warning to clean-up.
const ENTRIES_PER_CHAPTER: u64 = 120;

const CHAPTERS: [Chapter; 4] = [
    // Before landfall: warnings and preparations.
    Chapter {
        stories: &[
            story(
                "Schools in {district} to close early as {storm} approaches",
                "Schools in {district} will send pupils home early so families can prepare before the weather turns, the education department says. _After-school clubs are cancelled._",
            ),
            story(
                "Sandbags handed out on {street}",
                "Council workers are handing out sandbags from a lorry parked on {street}. Residents of {district} can take up to ten per household; *bring a car* if you can.",
            ),
            story(
                "Forecasters expect gusts of {speed} km/h by {later}",
                "The Coastal Weather Service now expects the strongest winds from about {later}, with gusts of *{speed} km/h* possible on exposed headlands such as {district2}. [Latest forecast](forecast).",
            ),
            story(
                "Ferries from {district} cancelled until further notice",
                "All sailings from the {district} terminal are cancelled from {later}. The operator says anyone with a ticket for today can travel free on any sailing later this week.",
            ),
            story(
                "Council opens rest centre at {venue}",
                "The council says {venue} is open as a rest centre with {beds} camp beds, hot food and space for pets. [The full list of rest centres is here](shelters).",
            ),
            story(
                "Harbour master orders boats secured at {district}",
                "Every boat in the {district} moorings must be secured or lifted out by {later}, the harbour master has ordered. Owners are asked to _double their mooring lines_ and take loose gear ashore.",
            ),
            story(
                "Residents of {district} urged to move cars to higher ground",
                "Police are asking people in the lower streets of {district} to move their cars to higher ground, such as the car park at {venue}, before the evening high tide.",
            ),
            story(
                "Up to {rain} mm of rain forecast for {city} overnight",
                "Forecasters say up to *{rain} mm* of rain could fall on {city} overnight, most of it in a few intense hours. Streams above {district} are expected to rise quickly. [Live radar](radar).",
            ),
            story(
                "Shops on {street} board up their windows",
                "Along {street}, shopkeepers are screwing plywood over their windows. One told us it was the third time in ten years, _and the first time the whole street has done it together_.",
            ),
            story(
                "Tide expected to peak at {tide} m around {later}",
                "High tide is due at about {later}, at {tide} metres, roughly half a metre above normal for the time of year. With the wind behind it, waves could come over the sea wall at {street}.",
            ),
            story(
                "{service} on standby in {district}",
                "{service} have been moved to stations in {district} so they can reach the seafront quickly if the sea wall is overtopped.",
            ),
            story(
                "Queues for fuel on {street} as the storm nears",
                "Drivers are waiting about {minutes} minutes at the petrol station on {street}. The supplier says there is no shortage and asks people not to fill spare cans.",
            ),
        ],
        key_stories: &[
            story(
                "Evacuation advised for low-lying streets in {district}",
                "The council is advising everyone in the low-lying streets of {district} to leave their homes before {later}. *This is advice, not an order*, but police will be going door to door. [Check whether your street is affected](council).",
            ),
            story(
                "Weather service raises warning to red for the whole coast",
                "The Coastal Weather Service has raised its warning to *red* for the coast around {city}, meaning a danger to life from flying debris and large waves. [Read the full warning](warnings).",
            ),
            story(
                "Mayor declares major incident ahead of {storm}",
                "Mayor Ines Calloway has declared a major incident, which lets the council call in help from neighbouring towns if it is needed. She says the city is _as ready as it can be_.",
            ),
            story(
                "All sailings suspended as {storm} strengthens to {speed} km/h",
                "The port authority has suspended all sailings in and out of {city} after winds offshore reached *{speed} km/h*.",
            ),
            story(
                "Coastal railway to close ahead of {storm}",
                "The railway along the coast will close at {later} and stay shut until the line has been inspected, the operator says. [Travel advice](closures).",
            ),
            story(
                "Hospital cancels planned operations as {storm} nears",
                "St Brannoc's Hospital has cancelled planned operations for the next two days to free up beds and staff. *Emergency care is not affected*.",
            ),
        ],
        more: &[
            "Volunteers have been filling sandbags outside {venue} since dawn, working in shifts of an hour.",
            "Bus services to {district} and {district2} will stop running at {later}, the transport operator has confirmed, so drivers can get home before the worst of the weather.",
            "If you live in {district}, check whether your street is on the [evacuation advice list](council) before nightfall.",
            "Heavy rain has already reached {district2}, about {minutes} minutes ahead of the forecast. _The radar picture is changing quickly._ [Live radar](radar).",
            "Supermarkets in {district2} report shelves of bottled water and batteries emptying fast. Staff say deliveries are still expected tomorrow.",
            "The council is asking people to bring in garden furniture, bins and trampolines: _anything the wind can lift_, as one officer put it.",
            "Tidewater Power says it has engineers on standby across the city and expects some outages tonight. [How to report a power cut](power).",
            "The harbour in {district} is unusually busy today as crews tie down everything that can move.",
        ],
        quotes: &[
            said(MAYOR, "Please stay indoors tonight. Nothing on the seafront is worth your life."),
            said(FORECASTER, "The strongest gusts will come with the change in wind direction, probably around {later}."),
            said(FORECASTER, "This is the deepest low we have tracked towards this coast in years."),
            said(HARBOUR_MASTER, "If your boat is not secured by {later}, it will be too late to do it safely."),
            said(COORDINATOR, "{venue} is ready, with staff through the night. Nobody should stay in a house they are afraid of."),
            resident("We put the sandbags out this morning. I just hope it's enough."),
            resident("I've lived on {street} for forty years and I've never seen the council this worried."),
            resident("I'm staying put. The house has stood for a hundred years; it'll stand tonight."),
            resident("We've filled the bath with water and charged every phone in the house."),
        ],
        videos: &[
            "Our correspondent sent this from {district}, where sandbags are going out:",
            "Boats being lifted out of the water at {district}:",
            "The sea building off {district2} this hour:",
            "Watch the council's briefing on the preparations, recorded at {time}:",
        ],
        opens_at: 8 * 60,
        days_later: 0,
        gusts: (90, 130),
        homes: (300, 2_000),
    },
    // Landfall: the worst of it.
    Chapter {
        stories: &[
            story(
                "Sea wall overtopped at {street}",
                "Water is coming over the sea wall at {street} with every large wave. Our correspondent describes spray reaching the first-floor windows of the houses opposite.",
            ),
            story(
                "Gust of {speed} km/h recorded at {district2}",
                "The weather station at {district2} recorded a gust of *{speed} km/h* at {time}, the strongest of the night so far, the Coastal Weather Service says.",
            ),
            story(
                "{homes} homes without power across {city}",
                "Tidewater Power says *{homes} homes* are now without electricity, most of them in {district} and {district2}. Engineers will not go out until the wind drops. [Check the outage map](power).",
            ),
            story(
                "{service} rescue {people} people from flooded houses in {district}",
                "{service} have rescued {people} people from houses in {district} where the water rose, in the words of one firefighter, _faster than anyone could carry a sofa upstairs_.",
            ),
            story(
                "Roof torn from building on {street}",
                "Part of the roof of a three-storey building on {street} has been torn off and thrown into the road. Police have closed the street in both directions; nobody was hurt, they say.",
            ),
            story(
                "Trees down blocking {street} in {district}",
                "Two large trees have come down across {street} in {district}, bringing power lines with them. *Keep well away from fallen cables*, the fire service says.",
            ),
            story(
                "Flood water waist-deep in parts of {district}",
                "In the lowest streets of {district} the water is now waist-deep. Residents are watching from upstairs windows as wheelie bins float past.",
            ),
            story(
                "Emergency calls surge as the storm reaches {district}",
                "The emergency control room says it took more calls in the last hour than on a normal Saturday night, many from {district}. If your life is not in danger, use the [non-emergency line](council).",
            ),
            story(
                "Lifeboat launched to boat in trouble off {district2}",
                "The lifeboat crew launched at {time} to a fishing boat with engine failure off {district2}. The two people on board have been brought safely into the harbour.",
            ),
            story(
                "{rain} mm of rain in six hours at {district}",
                "Rainfall at the {district} gauge has reached {rain} mm in six hours, more than a month's worth. The Coastal Weather Service has issued a [flood alert for the river valley](warnings).",
            ),
            story(
                "St Brannoc's switches to generators as {homes} homes lose power",
                "St Brannoc's Hospital has switched to generator power after the mains supply failed. Planned operations for tomorrow are postponed, but *the emergency department remains open*.",
            ),
            story(
                "Crowds told to stay away from the seafront at {district}",
                "Please do not go to the seafront to watch the waves. Officers in {district} say they have turned back dozens of people holding up phones in the last {minutes} minutes.",
            ),
        ],
        key_stories: &[
            story(
                "{storm} makes landfall near {district}",
                "The centre of the storm crossed the coast near {district} at about {time}. Wind speeds at the breakwater weather station reached *{speed} km/h* before the sensor stopped reporting.",
            ),
            story(
                "Major flooding in {district} as the Marrow bursts its banks",
                "The River Marrow has burst its banks above {district}, sending water into dozens of streets. {service} are going house to house; _if you are trapped, go upstairs and call for help_.",
            ),
            story(
                "Search under way for person missing in flood water at {district}",
                "Police say a person was swept off their feet by flood water near {street} at about {time}. The lifeboat, the coastguard and fire crews are searching.",
            ),
            story(
                "Power cut hits {homes} homes as substation floods",
                "A substation serving {district} and {district2} has flooded, cutting power to *{homes} homes*. Tidewater Power says it cannot reach the site until the water goes down. [Outage map](power).",
            ),
            story(
                "Rest centre at {venue} evacuated after roof damage",
                "Everyone sheltering at {venue} has been moved to another rest centre after part of the roof lifted in a gust. Nobody was hurt, the council says.",
            ),
            story(
                "Harbour wall breached at {district}",
                "A section of the harbour wall at {district} has given way, letting the sea straight into the streets behind it. {service} are helping residents out _through upstairs windows_.",
            ),
        ],
        more: &[
            "Police have closed {street} in both directions after debris came down onto parked cars.",
            "The wind is so loud in {district} that our correspondent had to shout down the phone to file this update.",
            "Please stay indoors. Flying debris is the biggest danger tonight, the fire service says: _roof tiles, branches and bins_.",
            "St Brannoc's Hospital says its emergency department is open and busy. Please only go there if it is a real emergency.",
            "Rest centres are still taking people; {venue} has {beds} beds left, the council says. [All rest centres](shelters).",
            "Reports are coming in of windows blown in on {street}. If yours has gone, move to a room on the sheltered side of the house.",
            "The rain is falling sideways in {district2}, where the gauge shows {rain} mm since the morning.",
            "Mobile signal is patchy across {district} after a mast lost power. *Text messages may get through* where calls do not.",
        ],
        quotes: &[
            said(FIRE_CHIEF, "If the water is above your knees, do not try to walk through it. Call us."),
            said(FIRE_CHIEF, "My crews will stay out as long as they are needed."),
            said(POLICE_CHIEF, "People are driving round the barriers on {street}. Please stop: we closed it for a reason."),
            said(DOCTOR, "The emergency department is busy but coping. Please keep it for real emergencies."),
            said(COXSWAIN, "It was a big sea out there, but the crew were magnificent."),
            resident("The water came under the door in about ten minutes. We just grabbed the kids and the cat."),
            resident("You can feel the whole building shake every time a gust comes through."),
            resident("We've no power, so we're sitting round a candle playing cards until it passes."),
            resident("The firefighters carried my mother down the stairs. I can't thank them enough."),
        ],
        videos: &[
            "Waves breaking over the sea wall on {street}:",
            "Footage from a reader in {district2}, filmed from an upstairs window:",
            "Our correspondent sent this from {district} a few minutes ago:",
            "{service} wading through flood water in {district}:",
        ],
        opens_at: 19 * 60,
        days_later: 0,
        gusts: (110, 175),
        homes: (8_000, 60_000),
    },
    // The morning after: damage and first clean-up.
    Chapter {
        stories: &[
            story(
                "Daylight reveals damage across {district}",
                "In {district}, the morning light shows the scale of the night: roof tiles across the pavement, a bus shelter on its side, seaweed on {street}.",
            ),
            story(
                "Clean-up begins on {street}",
                "Council crews have started clearing {street}, beginning with the fallen tree outside the pharmacy. They expect the road to reopen *by {later}*.",
            ),
            story(
                "{homes} homes still without power",
                "Tidewater Power has restored electricity to about half the homes that lost it, but *{homes} households* are still waiting. Some in {district} could be without power _for two more days_.",
            ),
            story(
                "Rest centre at {venue} hosted {beds} people overnight",
                "{venue} looked after {beds} people overnight. Most have now gone home; those whose homes are flooded will be offered hotel rooms, the council says.",
            ),
            story(
                "Winds easing at {district2}, forecasters say",
                "The wind has dropped sharply: the strongest gust at {district2} in the last hour was {speed} km/h, the Coastal Weather Service says. [Today's forecast](forecast).",
            ),
            story(
                "Insurers send assessors to {district}",
                "Several insurers say they are sending assessors to {district} today. Take photos of any damage *before* you start clearing up, and keep receipts.",
            ),
            story(
                "Roads reopen between {district} and {district2}",
                "Roads between {district} and {district2} are open again, but drivers should expect _debris and standing water_ for the rest of the day. [Current road closures](closures).",
            ),
            story(
                "Schools in {district} to stay closed tomorrow",
                "Schools in {district} will remain closed tomorrow while buildings are checked for damage, the education department has confirmed.",
            ),
            story(
                "Fallen trees cleared from {street}",
                "Tree surgeons have been working since first light to clear {street}, blocked by three fallen trees since the early hours. Buses should use it again from {later}.",
            ),
            story(
                "Residents return to flooded homes in {district}",
                "People are starting to return to the flooded streets of {district}. Many are finding a line of mud on the walls at waist height, and furniture that will have to go.",
            ),
            story(
                "Fishing fleet at {district} counts the cost",
                "Fishermen in {district} say at least {people} boats were damaged in the harbour despite the extra mooring lines put out yesterday.",
            ),
            story(
                "Council asks residents to report damage on {street}",
                "The council wants to hear about damage to pavements, street lights and sea defences, starting with {street}. [Report damage online](council).",
            ),
        ],
        key_stories: &[
            story(
                "Missing person found safe in {district}",
                "Police say the person reported missing in flood water last night has been found *safe and well* in {district}. They had sheltered in a neighbour's loft.",
            ),
            story(
                "Weather service lifts red warning for {city}",
                "The Coastal Weather Service has lifted its red warning. A yellow warning for strong winds remains until {later}. [Current warnings](warnings).",
            ),
            story(
                "Mayor: {homes} households affected by {storm}",
                "Mayor Ines Calloway says early council figures suggest *{homes} households* were hit by flooding, power cuts or damage. _We will get to every one of them_, she told reporters.",
            ),
            story(
                "Emergency repair fund announced for {city}",
                "The government has announced an emergency fund for repairs in {city}, including the sea wall at {street}. The council says details of how to apply will follow this week.",
            ),
            story(
                "Crews from neighbouring towns arrive to help {district}",
                "Crews from three neighbouring towns have arrived to help clear roads and pump out homes, starting in {district}. The council says _the extra hands will make a real difference_.",
            ),
            story(
                "Main road into {city} reopens",
                "The main road into {city} has reopened after crews cleared fallen trees and debris overnight. Drivers should still expect *delays around {district}*. [Road closures](closures).",
            ),
        ],
        more: &[
            "If your home has been flooded, do not switch the electricity back on until it has been checked. [Advice on returning home safely](council).",
            "Residents of {street} were out with brooms and buckets from first light. Neighbours are taking turns to dry out the ground-floor flat of an elderly couple at the end of the terrace.",
            "Volunteers are handing out hot drinks on {street}, where café owners have set up a table on the pavement.",
            "Bin lorries will make extra rounds in {district} over the next few days. Put flood-damaged items out _in bags where you can_.",
            "The ferry terminal at {district2} is still closed while engineers check the ramp.",
            "Tap water is safe to drink across the city, the water company says, despite rumours on social media.",
            "Trains between {city} and the inland towns are running again, with speed limits on the coastal section.",
            "Many of the people at {venue} overnight were elderly residents from {district}. Staff say most slept well, *given everything*.",
        ],
        quotes: &[
            said(MAYOR, "I want to thank every crew who went out into that water in {district}."),
            said(FORECASTER, "We measured {rain} millimetres in six hours. That is exceptional for this coast."),
            said(FORECASTER, "The worst is behind us, but the sea will stay rough for another day at least."),
            said(FIRE_CHIEF, "We got {people} people out of houses on {street}, including a baby and two dogs."),
            said(HARBOUR_MASTER, "Boat owners did what we asked. That is why we are counting damaged boats, not sunk ones."),
            said(DOCTOR, "Most of the injuries we saw last night were from falling branches and broken glass."),
            resident("We lost the car, the carpets and the fridge. But we're all fine, and that's what matters."),
            resident("Everyone on our street was out with buckets at six this morning. That's {district} for you."),
            resident("Honestly, the rest centre at {venue} was better organised than my own house."),
        ],
        videos: &[
            "Drone footage of the damage in {district} this morning:",
            "The scene on {street} as the clean-up begins:",
            "Watch the mayor's morning briefing, recorded at {time}:",
        ],
        opens_at: 6 * 60,
        days_later: 0,
        gusts: (55, 95),
        homes: (3_000, 25_000),
    },
    // Recovery: the days after.
    Chapter {
        stories: &[
            story(
                "Volunteers fill {venue} with donations",
                "The donations point at {venue} says it has more than enough clothes. What it needs now is _cleaning products, bin bags and phone chargers_.",
            ),
            story(
                "Storm appeal passes its first target",
                "The [storm appeal](appeal) passed its first target in under a day, the community foundation says. The first grants will go to households in {district} and elsewhere without insurance.",
            ),
            story(
                "Power back for all but {homes} homes",
                "Tidewater Power says all but *{homes} homes* are reconnected. The rest are mostly in {district}, where flooded cables must be replaced. [Outage map](power).",
            ),
            story(
                "Shops on {street} reopen",
                "Several cafés and shops on {street} reopened this morning, some with handwritten signs offering free tea to anyone helping with the clean-up.",
            ),
            story(
                "Engineers inspect the sea wall at {street}",
                "Engineers have begun checking the sea wall at {street}, where several sections were undermined by waves. The promenade will stay fenced off *until they report*.",
            ),
            story(
                "Council to review flood defences in {district}",
                "Councillors will meet on Thursday to discuss raising the flood defences in {district}, after the water came over them for the second time in a decade.",
            ),
            story(
                "Skips delivered to {street} for flood-damaged furniture",
                "Skips are being delivered to {street} and nearby roads in {district} for furniture and carpets ruined by flood water. [Find your nearest skip](cleanup).",
            ),
            story(
                "Ferries from {district} resume at {later}",
                "Ferry services from {district} will resume at {later}, the operator says, though the first sailings may be delayed while the pier is inspected.",
            ),
            story(
                "Insurance help desk opens at {venue}",
                "The council's insurance help desk at {venue} is open until 20:00 today. Bring photos of the damage and, if you can, receipts for anything you bought to dry out your home.",
            ),
            story(
                "Street party planned in {district} to thank rescuers",
                "Residents in {district} are organising a street party next weekend to thank the crews who worked through the storm. _Everyone is invited_, the organisers say.",
            ),
            story(
                "Extra bin collections in {district} this week",
                "Bin lorries will collect from {district} every day this week, the council says, to clear the piles of ruined carpets and furniture on the pavements.",
            ),
            story(
                "Weather service says the worst is over for {city}",
                "The Coastal Weather Service expects a dry, calm week, which should help homes in {district} dry out. [Five-day forecast](forecast).",
            ),
        ],
        key_stories: &[
            story(
                "Council sets up fund for flooded households",
                "The council has set up a hardship fund for households flooded by {storm}. Grants will be paid *within a week* of applying, it says. [How to apply](appeal).",
            ),
            story(
                "All schools in {city} to reopen on Monday",
                "Every school in {city}, including those in {district}, will reopen on Monday after safety checks, the education department says.",
            ),
            story(
                "Sea wall at {street} declared unsafe",
                "Engineers have declared a section of the sea wall at {street} unsafe. Houses directly behind it will be _temporarily evacuated_ until repairs are made.",
            ),
            story(
                "Last {homes} homes reconnected to the grid",
                "Tidewater Power says the last {homes} homes cut off by the storm, most of them in {district}, have had their electricity restored.",
            ),
            story(
                "Mayor announces review of flood defences",
                "Mayor Ines Calloway has announced an independent review of the city's flood defences, starting with the sea wall at {street}. It will report *within six months*.",
            ),
            story(
                "Lifeboat crew to receive the city's highest award",
                "The crew of the Marrowick lifeboat will receive the city's highest civic award for their work during {storm}, the mayor has announced. _They went out when everyone else was told to stay in_, she said.",
            ),
        ],
        more: &[
            "Volunteers from {district2} have been helping neighbours in {district} strip out wet plaster and carpets.",
            "The library on {street} is offering free phone charging and wifi to anyone still without power.",
            "Builders say they are fully booked for weeks. The council warns residents to _check credentials_ before paying anyone who knocks on the door.",
            "Children at a primary school in {district} have been making thank-you cards for the lifeboat crew.",
            "The ferry company says its timetable should be back to normal by the weekend.",
            "Insurers say most claims from {district} should be settled within a month. [Council advice on claims](council).",
            "The promenade at {street} remains closed to the public while sea wall repairs are planned.",
            "After the storm, the calm: a flat sea and a clear sky over {district2} this morning.",
        ],
        quotes: &[
            said(MAYOR, "We will rebuild {street}, and this time we will do it properly."),
            said(MAYOR, "No one who lost their home in {district} will be left to cope alone."),
            said(COORDINATOR, "Skips, sandbags and cleaning kits will be in every affected street by the weekend."),
            said(POLICE_CHIEF, "We have had no reports of looting, whatever you may have read online."),
            said(COXSWAIN, "They did the right thing by calling us early. Another hour and it would have been a different story."),
            resident("The kitchen's gutted, but the neighbours have been amazing. I've never known {district} like this."),
            resident("The insurance man came yesterday. He said we were the fortieth house on his list."),
            resident("We'll be back in by spring, they reckon. We'll see."),
            resident("My kids want to be lifeboat volunteers now. I can't blame them."),
        ],
        videos: &[
            "Volunteers at work in {district}:",
            "Our correspondent walked along {street} to see the repairs:",
            "Watch the council's briefing on the recovery, recorded at {time}:",
        ],
        opens_at: 8 * 60,
        days_later: 1,
        gusts: (35, 70),
        homes: (50, 3_000),
    },
];

/// Titles that fit any moment of the story; their lead is drawn from the
/// follow-up paragraphs.
const GENERAL_TITLES: &[&str] = &[
    "What we know so far at {time}",
    "Latest from {district}",
    "Update from {street}",
    "{city} live: the picture at {time}",
    "{district} this hour: what our team is seeing",
    "Travel update for {district} and {district2}",
    "Scenes from {street}",
    "Our reporter in {district}",
];

/// Paragraphs that fit any moment of the story.
const GENERAL_PARAGRAPHS: &[&str] = &[
    "We are keeping this page updated with the latest from across {city}. _All times are local._",
    "Send us your photos and videos if it is safe to do so, but please do not put yourself in danger to get them.",
    "Our correspondent in {district} says the mood among residents is calm, if tired. Many have been awake since the early hours.",
    "The council's [latest update](council) lists every road closure and rest centre in one place.",
    "Information from the emergency services is changing quickly. We will correct anything here that turns out to be wrong.",
    "{service} are asking people in {district} to check on elderly neighbours and anyone who lives alone.",
    "Traffic is heavy on roads out of {district2}, according to our team on {street}.",
    "For anyone just joining us: this page follows {storm} and its effects on {city} as they happen, *newest updates first*.",
];

// ---------------------------------------------------------------------------
// One entry's setting: the place and numbers its title and body share, so an
// update about Saltmarsh talks about Saltmarsh all the way through.
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Scene {
    /// Story time, in minutes since midnight of day one.
    clock: u64,
    /// A later time, for forecasts and reopenings ("by 18:30").
    later: u64,
    district: &'static str,
    /// Always a different district from `district`.
    district2: &'static str,
    street: &'static str,
    venue: &'static str,
    service: &'static str,
    speed: u32,
    homes: u32,
    people: u32,
    rain: u32,
    /// Tide height in decimetres, shown as metres ("4.3").
    tide_dm: u32,
    minutes: u32,
    beds: u32,
}

impl Scene {
    fn roll(rng: &mut StdRng, chapter: &Chapter, clock: u64) -> Scene {
        let d = rng.random_range(0..DISTRICTS.len());
        // Offset by 1..len so the second district never equals the first.
        let d2 = (d + rng.random_range(1..DISTRICTS.len())) % DISTRICTS.len();
        // Round "later" to the half hour, as announcements do.
        let later = (clock + rng.random_range(45..240)) / 30 * 30;
        Scene {
            clock,
            later,
            district: DISTRICTS[d],
            district2: DISTRICTS[d2],
            street: pick(rng, STREETS),
            venue: pick(rng, VENUES),
            service: pick(rng, SERVICES),
            speed: rng.random_range(chapter.gusts.0..=chapter.gusts.1),
            // Outage figures are reported rounded to tens.
            homes: rng.random_range(chapter.homes.0 / 10..=chapter.homes.1 / 10) * 10,
            people: rng.random_range(2..=28),
            rain: rng.random_range(25..=160),
            tide_dm: rng.random_range(32..=52),
            minutes: rng.random_range(2..=9) * 5,
            beds: rng.random_range(4..=40) * 10,
        }
    }

    /// Write the value of `{name}` to `out`.
    fn write_slot(&self, name: &str, out: &mut String) {
        match name {
            "city" => out.push_str(CITY),
            "storm" => out.push_str(STORM),
            "district" => out.push_str(self.district),
            "district2" => out.push_str(self.district2),
            "street" => out.push_str(self.street),
            "venue" => out.push_str(self.venue),
            "service" => out.push_str(self.service),
            "time" => push_time(self.clock, out),
            "later" => push_time(self.later, out),
            "speed" => push_number(self.speed, out),
            "homes" => push_number(self.homes, out),
            "people" => push_number(self.people, out),
            "rain" => push_number(self.rain, out),
            "minutes" => push_number(self.minutes, out),
            "beds" => push_number(self.beds, out),
            "tide" => {
                let _ = write!(out, "{}.{}", self.tide_dm / 10, self.tide_dm % 10);
            }
            // Templates are fixed text checked by the tests, so this is a bug
            // in this file, never bad input.
            other => panic!("demo template uses unknown slot {{{other}}}"),
        }
    }
}

// ---------------------------------------------------------------------------
// The generator.
// ---------------------------------------------------------------------------

struct Generator {
    rng: StdRng,
    /// Entries produced so far; decides the chapter.
    index: u64,
    /// Story time in minutes since midnight of day one.
    clock: u64,
    /// Reused for expanding paragraph templates, to save an allocation per block.
    scratch: String,
    /// The last few headlines, so a story does not run again within three entries.
    recent: Seen<3>,
    /// Key events run through the chapter's list from a random start, so a
    /// chapter's five or so key events are different ones.
    key_offset: usize,
    keys_told: usize,
}

impl Iterator for Generator {
    type Item = DemoEntry;

    fn next(&mut self) -> Option<DemoEntry> {
        Some(self.next_entry())
    }
}

impl Generator {
    fn new(seed: u64) -> Self {
        Generator {
            rng: StdRng::seed_from_u64(seed),
            index: 0,
            // The first chapter moves this to its opening time.
            clock: 0,
            scratch: String::with_capacity(512),
            recent: Seen::default(),
            key_offset: 0,
            keys_told: 0,
        }
    }

    fn next_entry(&mut self) -> DemoEntry {
        let chapter = &CHAPTERS[((self.index / ENTRIES_PER_CHAPTER) % 4) as usize];
        if self.index.is_multiple_of(ENTRIES_PER_CHAPTER) {
            self.clock = chapter_opening(self.clock, chapter);
            self.key_offset = self.rng.random_range(0..chapter.key_stories.len());
            self.keys_told = 0;
        }
        self.index += 1;
        // Updates come every few minutes during a big story.
        self.clock += self.rng.random_range(1..=6);

        let scene = Scene::roll(&mut self.rng, chapter, self.clock);
        let key_event = self.rng.random_ratio(1, 25);
        let mut used = Used::default();
        let (title, lead) = self.headline(chapter, key_event, &mut used);
        let mut title_text = String::with_capacity(80);
        expand(title, &scene, &mut title_text);
        DemoEntry {
            title: title_text,
            author: pick(&mut self.rng, AUTHORS).to_string(),
            blocks: self.body(chapter, &scene, lead, key_event, &mut used),
            key_event,
        }
    }

    /// The title template and the lead paragraph that goes with it. Most
    /// entries tell one of the chapter's stories; some carry a generic
    /// "latest from..." title over a follow-up paragraph.
    fn headline(
        &mut self,
        chapter: &Chapter,
        key_event: bool,
        used: &mut Used,
    ) -> (&'static str, &'static str) {
        let story = if key_event {
            let n = chapter.key_stories.len();
            self.keys_told += 1;
            chapter.key_stories[(self.key_offset + self.keys_told) % n]
        } else if self.rng.random_ratio(4, 5) {
            let drawn = fresh(&mut self.rng, &mut self.recent, |rng| {
                let story = pick(rng, chapter.stories);
                (story, story.title)
            });
            drawn.0
        } else {
            let title = pick(&mut self.rng, GENERAL_TITLES);
            return (title, self.follow_up(chapter, used));
        };
        used.add(story.lead);
        (story.title, story.lead)
    }

    /// The lead, then up to three more blocks: mostly paragraphs, some
    /// quotes and embeds, as on a real live page.
    fn body(
        &mut self,
        chapter: &Chapter,
        scene: &Scene,
        lead: &'static str,
        key_event: bool,
        used: &mut Used,
    ) -> Vec<Block> {
        let mut count = match self.rng.random_range(0..100) {
            0..35 => 1,
            35..75 => 2,
            75..93 => 3,
            _ => 4,
        };
        // Big moments get more than one line.
        if key_event {
            count = count.max(2);
        }
        let mut blocks = Vec::with_capacity(count);
        blocks.push(self.paragraph(lead, scene));
        for _ in 1..count {
            let block = match self.rng.random_range(0..20) {
                0..11 => {
                    let template = self.follow_up(chapter, used);
                    self.paragraph(template, scene)
                }
                11..16 => self.quote(chapter, scene, used),
                _ => self.embed(chapter, scene, used),
            };
            blocks.push(block);
        }
        blocks
    }

    /// A follow-up paragraph template not yet used in this entry: mostly
    /// from the chapter, some that fit any time.
    fn follow_up(&mut self, chapter: &Chapter, used: &mut Used) -> &'static str {
        let drawn = fresh(&mut self.rng, used, |rng| {
            let pool = if rng.random_ratio(3, 4) {
                chapter.more
            } else {
                GENERAL_PARAGRAPHS
            };
            ((), pick(rng, pool))
        });
        drawn.1
    }

    fn paragraph(&mut self, template: &str, scene: &Scene) -> Block {
        self.scratch.clear();
        expand(template, scene, &mut self.scratch);
        Block::Paragraph {
            content: parse_markup(&self.scratch, scene),
        }
    }

    /// Officials and residents in about equal measure: residents' voices are
    /// what make a live page feel live.
    fn quote(&mut self, chapter: &Chapter, scene: &Scene, used: &mut Used) -> Block {
        let (quote, line) = fresh(&mut self.rng, used, |rng| {
            let quote = pick(rng, chapter.quotes);
            (quote, quote.line)
        });
        let mut text = String::with_capacity(120);
        expand(line, scene, &mut text);
        let mut attribution = String::with_capacity(64);
        match quote.by {
            Some(official) => {
                attribution.push_str(official.name);
                attribution.push_str(", ");
                attribution.push_str(official.role);
            }
            None => {
                attribution.push_str(pick(&mut self.rng, FIRST_NAMES));
                attribution.push(' ');
                attribution.push_str(pick(&mut self.rng, LAST_NAMES));
                attribution.push_str(", ");
                expand(pick(&mut self.rng, RESIDENT_ROLES), scene, &mut attribution);
            }
        }
        Block::Quote {
            text,
            attribution: Some(attribution),
        }
    }

    /// A video (more often) or a map, always introduced by a line ending in ':'.
    fn embed(&mut self, chapter: &Chapter, scene: &Scene, used: &mut Used) -> Block {
        let (view, intro_template) = fresh(&mut self.rng, used, |rng| {
            if rng.random_ratio(3, 5) {
                (None, pick(rng, chapter.videos))
            } else {
                let view = pick(rng, MAP_VIEWS);
                (Some(view), view.intro)
            }
        });
        let mut url = String::with_capacity(64);
        match view {
            None => {
                let id = self.rng.random_range(1_000_000..10_000_000u32);
                let _ = write!(url, "https://video.example/watch/{id}");
            }
            Some(view) => {
                url.push_str("https://maps.example/marrowick/");
                push_slug(scene.district, &mut url);
                url.push_str("?layer=");
                url.push_str(view.layer);
            }
        }
        let mut intro = String::with_capacity(80);
        expand(intro_template, scene, &mut intro);
        Block::Embed {
            url,
            intro: Some(intro),
        }
    }
}

/// The story time at which `chapter` opens, after `clock`: the next time
/// the clock shows its opening hour, plus any days it skips.
fn chapter_opening(clock: u64, chapter: &Chapter) -> u64 {
    const DAY: u64 = 24 * 60;
    let mut opening = clock / DAY * DAY + chapter.opens_at;
    if opening <= clock {
        opening += DAY;
    }
    opening + chapter.days_later * DAY
}

/// The last `N` templates drawn, so that nothing repeats too soon: within an
/// entry (one template per block) and between neighbouring headlines.
struct Seen<const N: usize> {
    templates: [&'static str; N],
    count: usize,
}

/// Blocks per entry at most, hence templates per entry.
type Used = Seen<4>;

impl<const N: usize> Default for Seen<N> {
    fn default() -> Self {
        Seen {
            templates: [""; N],
            count: 0,
        }
    }
}

impl<const N: usize> Seen<N> {
    fn contains(&self, template: &str) -> bool {
        self.templates[..self.count.min(N)].contains(&template)
    }

    /// Remember `template`, forgetting the oldest once full.
    fn add(&mut self, template: &'static str) {
        self.templates[self.count % N] = template;
        self.count += 1;
    }
}

/// Draw with `draw` until its template is not in `seen`, then record it.
/// A few tries are plenty: pools are several times larger than `N`, and a
/// rare repeat after the last try is harmless.
fn fresh<T, const N: usize>(
    rng: &mut StdRng,
    seen: &mut Seen<N>,
    mut draw: impl FnMut(&mut StdRng) -> (T, &'static str),
) -> (T, &'static str) {
    let mut drawn = draw(rng);
    for _ in 0..4 {
        if !seen.contains(drawn.1) {
            break;
        }
        drawn = draw(rng);
    }
    seen.add(drawn.1);
    drawn
}

// ---------------------------------------------------------------------------
// Text helpers.
// ---------------------------------------------------------------------------

fn pick<T: Copy>(rng: &mut StdRng, pool: &[T]) -> T {
    pool[rng.random_range(0..pool.len())]
}

/// Append `template` to `out` with every `{slot}` replaced from the scene.
/// A slot that opens a sentence is capitalised ("the Corn Exchange" ->
/// "The Corn Exchange").
fn expand(template: &str, scene: &Scene, out: &mut String) {
    let start = out.len();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .expect("demo template slot is closed with '}'");
        let opens_sentence = out.len() == start || out.ends_with(". ");
        let value_at = out.len();
        scene.write_slot(&after[..close], out);
        if opens_sentence {
            if let Some(first) = out.get_mut(value_at..value_at + 1) {
                first.make_ascii_uppercase();
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

/// Turn expanded paragraph text with `*bold*`, `_italic_` and
/// `[text](kind)` markup into normalized spans.
fn parse_markup(text: &str, scene: &Scene) -> Vec<Span> {
    let mut spans = Vec::with_capacity(4);
    let mut rest = text;
    while let Some(start) = rest.find(['*', '_', '[']) {
        spans.push(Span::plain(&rest[..start]));
        let marker = rest.as_bytes()[start];
        let after = &rest[start + 1..];
        rest = match marker {
            b'*' | b'_' => {
                let end = after
                    .find(marker as char)
                    .expect("demo markup: emphasis is closed");
                let mut span = Span::plain(&after[..end]);
                span.bold = marker == b'*';
                span.italic = marker == b'_';
                spans.push(span);
                &after[end + 1..]
            }
            _ => {
                let mid = after.find("](").expect("demo markup: link has a target");
                let target = &after[mid + 2..];
                let end = target
                    .find(')')
                    .expect("demo markup: link target is closed");
                spans.push(Span {
                    link: Some(link_url(&target[..end], scene)),
                    ..Span::plain(&after[..mid])
                });
                &target[end + 1..]
            }
        };
    }
    spans.push(Span::plain(rest));
    normalize_spans(spans)
}

/// The fixed link targets paragraphs may point at; some are per district.
fn link_url(kind: &str, scene: &Scene) -> String {
    let mut url = String::with_capacity(72);
    let (base, per_district) = match kind {
        "forecast" => ("https://weather.example/forecast/marrowick", false),
        "warnings" => ("https://weather.example/warnings/marrowick-coast", false),
        "radar" => ("https://weather.example/radar?area=marrowick", false),
        "council" => ("https://example.org/marrowick/storm-updates", false),
        "shelters" => ("https://example.org/marrowick/rest-centres", false),
        "appeal" => ("https://example.org/appeals/storm-ilse", false),
        "closures" => ("https://example.org/marrowick/roads/closures?area=", true),
        "power" => ("https://example.org/tidewater-power/outages?area=", true),
        "cleanup" => ("https://example.org/marrowick/clean-up/skips?area=", true),
        other => panic!("demo markup uses unknown link kind ({other})"),
    };
    url.push_str(base);
    if per_district {
        push_slug(scene.district, &mut url);
    }
    url
}

/// "Sexton's Row" -> "sextons-row": lowercase ASCII words joined by hyphens.
fn push_slug(name: &str, out: &mut String) {
    let mut hyphen = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if hyphen {
                out.push('-');
                hyphen = false;
            }
            out.push(c.to_ascii_lowercase());
        } else if c == ' ' {
            hyphen = true;
        }
    }
}

/// 48210 -> "48,210", as newsrooms write numbers.
fn push_number(n: u32, out: &mut String) {
    if n >= 1000 {
        push_number(n / 1000, out);
        let _ = write!(out, ",{:03}", n % 1000);
    } else {
        let _ = write!(out, "{n}");
    }
}

/// Minutes since midnight of day one -> "HH:MM" on the 24-hour clock.
fn push_time(minutes: u64, out: &mut String) {
    let of_day = minutes % (24 * 60);
    let _ = write!(out, "{:02}:{:02}", of_day / 60, of_day % 60);
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::blocks::validate;

    const SEEDS: [u64; 4] = [0, 1, 42, u64::MAX];

    #[test]
    fn same_seed_same_entries_and_different_seeds_differ() {
        let a: Vec<_> = entries(7).take(100).collect();
        let b: Vec<_> = entries(7).take(100).collect();
        assert_eq!(a, b);
        let c: Vec<_> = entries(8).take(100).collect();
        assert_ne!(a, c);
    }

    #[test]
    fn every_body_passes_validation_and_entries_are_well_formed() {
        for seed in SEEDS {
            for (i, entry) in entries(seed).take(5_000).enumerate() {
                if let Err(e) = validate(&entry.blocks) {
                    panic!("seed {seed}, entry {i}: {e}\n{entry:#?}");
                }
                assert!((1..=4).contains(&entry.blocks.len()), "{entry:#?}");
                let title = entry.title.as_str();
                // Well inside text::MAX_TITLE, trimmed, one line.
                assert!(!title.is_empty() && title.len() <= 120, "{title}");
                assert_eq!(title.trim(), title);
                assert!(!title.chars().any(char::is_control), "{title}");
                assert_sentences_are_capitalised(title);
                assert!(AUTHORS.contains(&entry.author.as_str()));
                for block in &entry.blocks {
                    if let Block::Paragraph { .. } | Block::Quote { .. } = block {
                        assert_sentences_are_capitalised(&block.plain_text());
                    }
                }
            }
        }
    }

    fn assert_sentences_are_capitalised(text: &str) {
        let text = text.trim_start_matches('\u{201c}');
        let starts = std::iter::once(text).chain(text.split(". ").skip(1));
        for sentence in starts {
            let first = sentence.chars().next().unwrap_or('?');
            assert!(
                !first.is_lowercase(),
                "sentence starts in lowercase: {text}"
            );
        }
    }

    #[test]
    fn every_block_kind_and_formatting_appears_early() {
        for seed in SEEDS {
            let (mut paragraph, mut quote, mut embed) = (false, false, false);
            let (mut bold, mut italic, mut link) = (false, false, false);
            let (mut video, mut map) = (false, false);
            for entry in entries(seed).take(200) {
                for block in &entry.blocks {
                    match block {
                        Block::Paragraph { content } => {
                            paragraph = true;
                            bold |= content.iter().any(|s| s.bold);
                            italic |= content.iter().any(|s| s.italic);
                            link |= content.iter().any(|s| s.link.is_some());
                        }
                        Block::Quote { attribution, .. } => {
                            quote = true;
                            assert!(attribution.as_ref().is_some_and(|a| a.contains(", ")));
                        }
                        Block::Embed { url, intro } => {
                            embed = true;
                            video |= url.starts_with("https://video.example/watch/");
                            map |= url.starts_with("https://maps.example/");
                            assert!(intro.as_ref().is_some_and(|i| i.ends_with(':')));
                        }
                        // The store refuses photos it cannot resolve, so the
                        // demo never makes them.
                        Block::Photo { .. } => panic!("demo made a photo block"),
                    }
                }
            }
            assert!(
                paragraph && quote && embed,
                "seed {seed}: a block kind is missing"
            );
            assert!(
                bold && italic && link,
                "seed {seed}: a formatting is missing"
            );
            assert!(video && map, "seed {seed}: an embed kind is missing");
        }
    }

    #[test]
    fn titles_are_varied() {
        for seed in SEEDS {
            let distinct: HashSet<String> = entries(seed).take(2_000).map(|e| e.title).collect();
            assert!(
                distinct.len() >= 500,
                "seed {seed}: {} distinct titles",
                distinct.len()
            );
        }
    }

    #[test]
    fn about_one_entry_in_25_is_a_key_event() {
        for seed in SEEDS {
            let keys = entries(seed).take(10_000).filter(|e| e.key_event).count();
            assert!(
                (200..=800).contains(&keys),
                "seed {seed}: {keys} key events in 10,000"
            );
        }
    }

    /// Every template, not only those the random draws happen to reach:
    /// slots are known, markup is balanced, and nothing of either is left.
    #[test]
    fn every_template_expands_cleanly() {
        let mut rng = StdRng::seed_from_u64(0);
        let scene = Scene::roll(&mut rng, &CHAPTERS[0], 600);
        let mut plain: Vec<&str> = GENERAL_TITLES.to_vec();
        plain.extend(RESIDENT_ROLES);
        plain.extend(MAP_VIEWS.iter().map(|v| v.intro));
        let mut marked: Vec<&str> = GENERAL_PARAGRAPHS.to_vec();
        for chapter in &CHAPTERS {
            let stories = chapter.stories.iter().chain(chapter.key_stories);
            for story in stories {
                plain.push(story.title);
                marked.push(story.lead);
            }
            marked.extend(chapter.more);
            plain.extend(chapter.quotes.iter().map(|q| q.line));
            plain.extend(chapter.videos);
        }
        let leftover = |s: &str| s.contains(['{', '}', '*', '_', '[', ']']);
        for template in plain {
            let mut out = String::new();
            expand(template, &scene, &mut out);
            assert!(!leftover(&out), "{template} -> {out}");
        }
        for template in marked {
            let mut out = String::new();
            expand(template, &scene, &mut out);
            let spans = parse_markup(&out, &scene);
            assert!(
                spans.iter().all(|s| !leftover(&s.text)),
                "{template} -> {spans:?}"
            );
            validate(&[Block::Paragraph { content: spans }]).unwrap();
        }
    }

    #[test]
    fn pools_hold_no_markup_characters() {
        // Slot values are expanded before markup is read, so a '*' in a
        // street name would start a bold run.
        let pools = [
            AUTHORS,
            DISTRICTS,
            STREETS,
            VENUES,
            SERVICES,
            FIRST_NAMES,
            LAST_NAMES,
        ];
        for value in pools.iter().flat_map(|p| p.iter()) {
            assert!(!value.contains(['{', '}', '*', '_', '[', ']']), "{value}");
        }
    }

    #[test]
    fn landfall_comes_at_night_and_the_clean_up_in_daylight() {
        const DAY: u64 = 24 * 60;
        let warning = chapter_opening(0, &CHAPTERS[0]);
        assert_eq!(warning, 8 * 60);
        // Seven hours of updates later, landfall opens that evening...
        let landfall = chapter_opening(warning + 7 * 60, &CHAPTERS[1]);
        assert_eq!(landfall, 19 * 60);
        // ...the aftermath the next morning, and recovery two days after.
        let aftermath = chapter_opening(landfall + 7 * 60, &CHAPTERS[2]);
        assert_eq!(aftermath, DAY + 6 * 60);
        let recovery = chapter_opening(aftermath + 7 * 60, &CHAPTERS[3]);
        assert_eq!(recovery, 3 * DAY + 8 * 60);
    }

    #[test]
    fn story_time_only_moves_forward() {
        let mut generator = Generator::new(5);
        let mut last = 0;
        for _ in 0..1_000 {
            generator.next_entry();
            assert!(generator.clock > last);
            last = generator.clock;
        }
    }

    #[test]
    fn numbers_times_and_slugs_are_formatted_like_a_newsroom() {
        let mut s = String::new();
        push_number(48_210, &mut s);
        s.push(' ');
        push_number(7, &mut s);
        s.push(' ');
        push_number(1_000_005, &mut s);
        s.push(' ');
        push_time(24 * 60 + 6 * 60 + 5, &mut s);
        s.push(' ');
        push_slug("Sexton's Row", &mut s);
        assert_eq!(s, "48,210 7 1,000,005 06:05 sextons-row");
    }
}
