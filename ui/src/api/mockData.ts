// Fictional sample coverage for the mock backend. All names are invented.
import type { Block } from "../bindings/Block";
import type { NewBlog } from "../bindings/NewBlog";
import type { PhotoText } from "../bindings/PhotoText";
import type { Status } from "../bindings/Status";

export const DEMO_BLOG: NewBlog = {
  title: "River Vell floods Coldmere",
  slug: "river-vell-floods-coldmere",
  timezone: "Europe/London",
  summary: "The River Vell has burst its banks after two days of rain. Follow the latest on evacuations, roads and rail.",
  language: "en",
};

export type DemoEntry = {
  title: string;
  author: string | null;
  blocks: Block[];
  status?: Status;
  pinned?: boolean;
  key?: boolean;
  photo?: PhotoText & { landscape: boolean };
};

const p = (...parts: (string | { text: string; bold?: boolean; italic?: boolean; link?: string })[]): Block => ({
  type: "paragraph",
  content: parts.map((x) => (typeof x === "string" ? { text: x } : x)),
});

const AUTHORS = ["Ana Ruiz", "Tomasz Nowak", "Lea Brandt", "Kofi Mensah", "Priya Nair"];
const DISTRICTS = ["Millbank", "Ferry Lane", "Old Quay", "Hatherley", "St Brannoc's", "Eastgate", "Crane Wharf", "Upper Vell"];

const HANDMADE: DemoEntry[] = [
  {
    title: "Rain warning issued for the Vell valley",
    author: "Ana Ruiz",
    key: true,
    blocks: [
      p("The weather service has issued an amber warning for heavy rain across the Vell valley until Thursday morning."),
      p("Up to ", { text: "80 mm", bold: true }, " could fall on high ground, on top of a wet weekend."),
    ],
  },
  {
    title: "Sandbags handed out at Millbank depot",
    author: "Tomasz Nowak",
    blocks: [
      p("Council staff are handing out sandbags at the Millbank depot until 8pm. Residents are asked to bring proof of address."),
      { type: "quote", text: "We have twelve thousand bags ready and more on the way.", attribution: "Mara Feld, council emergency planning officer" },
    ],
    photo: { credit: "Tomasz Nowak", caption: "Residents queue for sandbags at the Millbank depot.", alt: "A queue of people in raincoats beside a pallet of sandbags.", landscape: true },
  },
  {
    title: "River level passes record at Old Quay gauge",
    author: "Lea Brandt",
    key: true,
    blocks: [
      p("The gauge at Old Quay reads ", { text: "4.31 m", bold: true }, ", above the previous record set in 1998."),
      { type: "embed", url: "https://video.example/coldmere/old-quay-gauge", intro: "Our correspondent Lea Brandt reports from the quayside:" },
    ],
  },
  {
    title: "Trains between Coldmere and Harwick suspended",
    author: "Kofi Mensah",
    blocks: [
      p("Rail services between Coldmere and Harwick are suspended after water covered the line near Crane Wharf. ", { text: "Replacement buses", italic: true }, " run every 30 minutes."),
      p("Check before you travel on the ", { text: "operator's site", link: "https://rail.example/status" }, "."),
    ],
  },
  {
    title: "Evacuation of Ferry Lane begins",
    author: "Ana Ruiz",
    key: true,
    blocks: [
      p("Police are going door to door in Ferry Lane asking about 400 residents to leave their homes tonight."),
      p("A rest centre has opened at Hatherley Leisure Centre."),
    ],
    photo: { credit: "Ana Ruiz", caption: "Officers knock on doors in Ferry Lane.", alt: null, landscape: true },
  },
  {
    title: "What we know so far",
    author: "Priya Nair",
    pinned: true,
    blocks: [
      p({ text: "Evacuations:", bold: true }, " Ferry Lane and parts of Old Quay. Rest centre at Hatherley Leisure Centre."),
      p({ text: "Travel:", bold: true }, " trains to Harwick suspended; the A61 is closed at Crane Wharf."),
      p({ text: "Emergency:", bold: true }, " call 999 if life is at risk. Flood line: 0300 000 0000."),
    ],
  },
  {
    title: "Hospital cancels routine appointments",
    author: "Lea Brandt",
    blocks: [p("Coldmere General has cancelled routine outpatient appointments on Wednesday. Emergency departments remain open.")],
  },
  {
    title: "Mayor: 'This is the worst night in a generation'",
    author: "Kofi Mensah",
    blocks: [
      p("Speaking at the emergency centre, the mayor thanked volunteers and urged people not to drive through floodwater."),
      { type: "quote", text: "This is the worst night this city has seen in a generation. Please listen to the police and leave if you are asked to.", attribution: "Jonas Pell, mayor of Coldmere" },
    ],
    photo: { credit: "City of Coldmere", caption: "The mayor at the emergency centre.", alt: "A man in a high-visibility jacket speaking at a lectern.", landscape: false },
  },
];

const TEMPLATES: ((d: string, i: number) => DemoEntry)[] = [
  (d) => ({
    title: `Water rising in ${d}`,
    author: null,
    blocks: [p(`Residents in ${d} report water reaching doorsteps. The fire service has two pumps on the way.`)],
  }),
  (d) => ({
    title: `Road closed at ${d}`,
    author: null,
    blocks: [p(`The road through ${d} is closed in both directions. `, { text: "Use the ring road instead.", italic: true })],
  }),
  (d, i) => ({
    title: `${d}: volunteers fill ${200 + i * 10} sandbags`,
    author: null,
    blocks: [p(`A group of volunteers in ${d} has filled more than ${200 + i * 10} sandbags since the afternoon.`)],
  }),
  (d) => ({
    title: `Power cut in parts of ${d}`,
    author: null,
    blocks: [
      p(`About 1,200 homes in ${d} are without power. Engineers say they cannot reach the substation safely yet.`),
      p("Report a power cut on ", { text: "the network's page", link: "https://power.example/outages" }, "."),
    ],
  }),
  (d) => ({
    title: `Rescue boats sent to ${d}`,
    author: null,
    key: false,
    blocks: [
      p(`Two rescue boats have been sent to ${d}, where several people are waiting on upper floors.`),
      { type: "quote", text: "Everyone we have reached so far is safe and well.", attribution: "Fire service spokesperson" },
    ],
  }),
  (d) => ({
    title: `School closed in ${d} tomorrow`,
    author: null,
    blocks: [p(`The primary school in ${d} will stay closed tomorrow. Parents will be told by text about Friday.`)],
  }),
];

function build(): DemoEntry[] {
  const out: DemoEntry[] = [];
  let t = 0;
  for (let i = 0; out.length < 60; i++) {
    if (i % 7 === 0 && HANDMADE[i / 7]) {
      out.push(HANDMADE[i / 7]!);
      continue;
    }
    const d = DISTRICTS[t % DISTRICTS.length]!;
    const e = TEMPLATES[t % TEMPLATES.length]!(d, t);
    e.author = AUTHORS[t % AUTHORS.length]!;
    if (t % 5 === 3) e.photo = { credit: "Reader photo", caption: `Flooding in ${d}.`, alt: `A flooded street in ${d}.`, landscape: true };
    out.push(e);
    t++;
  }
  // A few entries in other states, to show the workflow.
  out.push({
    title: "Reports of a bridge collapse at Upper Vell",
    author: "Kofi Mensah",
    status: "retracted",
    blocks: [p("Unconfirmed reports say the footbridge at Upper Vell has collapsed.")],
  });
  out.push({
    title: "Rest centre near capacity",
    author: "Priya Nair",
    status: "ready",
    blocks: [p("The Hatherley rest centre has taken in 320 people and is close to capacity. A second centre may open.")],
  });
  out.push({
    title: "Drone footage of Crane Wharf",
    author: "Lea Brandt",
    status: "ready",
    blocks: [p("Aerial pictures show the extent of flooding around Crane Wharf.")],
    photo: { credit: null, caption: "Crane Wharf from the air.", alt: null, landscape: true },
  });
  out.push({
    title: "Draft: timeline of the night",
    author: "Ana Ruiz",
    status: "draft",
    blocks: [p("How the night unfolded, hour by hour. (To be completed.)")],
  });
  return out;
}

export const DEMO_ENTRIES: DemoEntry[] = build();

export const LARGE_TITLES = [
  "Turnout up in the north",
  "First seats declared",
  "Recount ordered in Lindau Ost",
  "Party leaders arrive at count",
  "Exit poll shows tight race",
  "Polling station stays open late",
  "Results delayed in the east",
  "Counting under way in the capital",
];

export const LARGE_SENTENCES = [
  "Officials say counting is proceeding smoothly.",
  "Turnout is higher than at the last election.",
  "Volunteers have been at the tables since the polls closed.",
  "A recount has been requested by one of the candidates.",
  "The result is expected shortly after midnight.",
  "Observers report no irregularities so far.",
  "Queues formed outside several polling stations in the final hour.",
];
