//! Fault: whose mistake the customer describes, the company's (a late, lost, wrong or damaged
//! item, a double charge, a rude agent, a broken promise) or their own (a return asked for too
//! late, a size they chose, instructions they did not follow).
//!
//! Each cue is a phrase; a cue is cancelled by a negation in the three words before it within
//! the same clause ("it did not arrive broken"), unless the cue itself contains the negation
//! ("never arrived"). Where the customer's own admission and a company cue overlap ("I ordered the
//! wrong item"), the phrase that starts first wins.

use std::sync::OnceLock;

use serde::Serialize;

use super::words::{is_negation, negated_before, non_overlapping, PhraseMatch, PhraseSet, Tokens};
use crate::span::Evidence;

/// Who the message says is at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fault {
    pub side: FaultSide,
    pub reasons: Vec<FaultReason>,
}

/// The side at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultSide {
    Company,
    Customer,
    Unclear,
}

/// One reason for blame, with the words that gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultReason {
    /// The reason's name, such as `late_delivery`.
    pub reason: &'static str,
    pub side: FaultSide,
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// What else a cue needs before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Nothing,
    /// The message must talk about returning the item or getting money back.
    ReturnTalk,
    /// The message must say the customer chose what they ordered.
    OwnChoice,
}

/// A list of cues for one reason.
struct Cues {
    reason: &'static str,
    rule: &'static str,
    side: FaultSide,
    needs: Needs,
    phrases: &'static [&'static str],
}

const LATE_DELIVERY: &[&str] = &[
    "still hasn't|hasnt|haven't|havent|isn't|isnt|not arrived|come|shipped|here|delivered",
    "still has|have|is not arrived|come|shipped|here|delivered",
    "still hasn't|hasnt|haven't|havent|not turned|shown up",
    "hasn't|hasnt|haven't|havent arrived|come|shipped",
    "has|have not arrived|come|shipped",
    "hasn't|hasnt|haven't|havent been delivered|shipped|dispatched|sent",
    "has|have not been delivered|shipped|dispatched|sent",
    "didn't|didnt arrive|come|ship",
    "did not arrive|come|ship",
    "not yet arrived|delivered|shipped|dispatched",
    "yet to arrive|ship|come",
    "never arrived|came|showed|shipped|turned",
    "* weeks|days|months|week|day|month late",
    "weeks|days|months late",
    "where's|wheres my order|parcel|package|delivery|stuff|item|items|shipment|purchase",
    "where is my order|parcel|package|delivery|stuff|item|items|shipment|purchase",
    "where's|wheres my damn|bloody|fucking|freaking|flipping order|parcel|package|delivery|stuff|item|items",
    "where is my damn|bloody|fucking|freaking|flipping order|parcel|package|delivery|stuff|item|items",
    "where the hell is my order|parcel|package|delivery|stuff|item|items",
    "was|were|is|are supposed to arrive|come|ship",
    "was|were|is|are supposed to be here|there|delivered|shipped|dispatched|sent|arriving|ready|back",
    "was|were|is|are supposed to be today|tomorrow|yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    "was|were|is|are supposed to be * day|days|week|weeks|hours",
    "was|were meant to arrive|come|ship",
    "should have arrived|come|been",
    "should've|shouldve arrived|come|been",
    "still waiting for|on my|the|this order|parcel|package|delivery|item|items|stuff",
    "been waiting * weeks|days|months",
    "been waiting for * weeks|days|months",
    "waiting for weeks|months|ages",
    "order|delivery|parcel|package|shipment is|was late|overdue|delayed",
    "missed the delivery date|window|slot",
    "stuck in transit|customs",
    "no tracking update|updates|information",
];

const LOST_ITEM: &[&str] = &[
    "lost my|the|our package|parcel|order|item|delivery|shipment|stuff|luggage|baggage|bag|bags|suitcase|gift|present",
    "package|parcel|order|item|items|delivery|shipment|luggage|baggage|bag|bags|suitcase|gift|present was|were|is|are|got lost",
    "package|parcel|order|item|items|delivery|shipment|luggage|baggage|bag|bags|suitcase|gift|present has|have been lost",
    "package|parcel|shipment|luggage|baggage|suitcase|gift|present lost",
    "you|they lost it",
    "you've|youve lost it",
    "never received",
    "never got it|my|the|anything|them",
    "marked|shown|showing|listed|showed as delivered but",
    "says|said|shows|showing delivered but",
    "says|said|shows it was delivered but",
    "delivered but i|it|nothing|there|never|no",
    "went|gone missing",
    "missing baggage|luggage|bag|bags|package|parcel|suitcase",
    "is|are missing from",
    "box|parcel|package was|arrived empty",
    "delivered to the wrong address|house|person|door|flat",
    "sent|shipped|took|delivered it|them to the wrong address|house|person|door|flat|country|city|store",
    "sent|shipped|took|delivered my|our|the * to the wrong address|house|person|door|flat|country|city|store",
    "sent|shipped|took|delivered my|our|the * * to the wrong address|house|person|door|flat|country|city|store",
    "sent|shipped|taken|delivered to the wrong address|house|person|door|flat|country|city|store",
    "went|goes|drove|driven to the wrong address|house|door|flat|street|location",
    "item|items|part|parts|piece|pieces missing",
    "delivered to someone|somebody else",
    "only * arrived|came",
    "only * of * arrived|came",
    "only * of the|my * arrived|came",
    "item|items|part|parts|piece|pieces is|are|was|were missing",
];

const WRONG_ITEM: &[&str] = &[
    "sent|gave|shipped|delivered me the|a wrong",
    "sent|shipped|delivered the|a wrong",
    "received|got the|a wrong",
    "wrong item|product|model|parcel|package",
    "not what i ordered|paid|asked|wanted",
    "isn't|isnt|wasn't|wasnt what i ordered|paid|asked|wanted",
    "not the one i ordered",
    "received|got|sent|came|arrived|delivered * instead of",
    "received|got|sent|came|arrived|delivered * * instead of",
    "received|got|sent|came|arrived|delivered * * * instead of",
    "received|got|sent|came|arrived|delivered * * * * instead of",
    "someone|somebody else's|elses order|parcel|package|item",
    "completely|totally|entirely different item|product|model|colour|color|size",
    "doesn't|doesnt|didn't|didnt match the description|picture|photo|photos|listing|website",
    "does|did not match the description|picture|photo|photos|listing|website",
    "not as described",
    "order|food|meal was|is|came|arrived wrong|incorrect",
    "order|food|meal was|is|got messed|screwed|mixed up",
    "messed|screwed|mixed up my|our|the order",
    "received|got a|an|the different|red|blue|green|black|white|grey|gray|pink|yellow|orange|purple|brown|silver|gold one",
    "sent|shipped|delivered me a|an|the different|red|blue|green|black|white|grey|gray|pink|yellow|orange|purple|brown|silver|gold one",
];

const DAMAGED_ITEM: &[&str] = &[
    "arrived|arrive|came|come|delivered broken|torn|damaged|cracked|smashed|shattered|dented|ripped|scratched|stained|faulty|defective|bent|leaking|crushed|dirty|used|opened",
    "arrived|arrive|came|come completely|totally|badly|already broken|torn|damaged|cracked|smashed|shattered|dented|ripped|scratched",
    "arrived|came in pieces",
    "stopped|stops working",
    "doesn't|doesnt|won't|wont|didn't|didnt work|turn|charge|start|switch",
    "does|will|did not work|turn|charge|start|switch",
    "not working",
    "isn't|isnt working",
    "no longer works|working",
    "defective",
    "faulty",
    "broke after|within",
    "fell|falling|falls|came apart",
    "is|was|it's|its broken|damaged|cracked|torn|ripped|smashed|shattered|dented",
    "dead on arrival",
    "manufacturing defect|fault",
];

/// What a service failure is about: the company's website, app or connection, not an item.
/// Most service-failure phrases open with one of these words, so "the website isn't working"
/// is found from "website" and wins over the damaged-item phrase "isn't working" inside it.
pub const SERVICE_SUBJECTS: &[&str] = &[
    "website",
    "site",
    "app",
    "page",
    "checkout",
    "server",
    "servers",
    "service",
    "network",
    "internet",
    "wifi",
    "broadband",
    "connection",
    "signal",
    "system",
    "portal",
    "login",
    "link",
    "streaming",
    "data",
    "payment",
    "payments",
];

/// Journeys and bookings that the company cancels or delays: "my flight was cancelled".
pub const JOURNEYS: &[&str] = &[
    "flight",
    "flights",
    "train",
    "trains",
    "bus",
    "buses",
    "ride",
    "trip",
    "reservation",
    "booking",
    "appointment",
];

const SERVICE_FAILURE: &[&str] = &[
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments isn't|isnt|wasn't|wasnt|won't|wont|doesn't|doesnt|didn't|didnt|can't|cant work|working|load|loading|open|respond|responding|connect",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments * isn't|isnt|won't|wont|doesn't|doesnt work|working|load|loading",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments keeps|kept|is|was crashing|freezing|failing|dropping|disconnecting",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments is|was|are|were not working|loading|responding",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments is|was|are|were still not working|loading|responding",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments is|was|are|were|went|being down|offline|broken",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments down again|today",
    "ordering is|was|went|being down|offline",
    "dropped|dropping calls",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments not working|loading|responding",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments still not working|loading|responding",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments has|have been down|offline",
    "website|site|app|page|checkout|server|servers|service|network|internet|wifi|broadband|connection|signal|system|portal|login|link|streaming|data|payment|payments keeps|kept going|cutting down|out",
    "outage",
    "outages",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment was|were|is|are|got cancelled|canceled|delayed|late",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment has|have been cancelled|canceled|delayed",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment running late|behind",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment * is|are|was|were cancelled|canceled|delayed",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment * * is|are|was|were cancelled|canceled|delayed",
    "flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment * * * is|are|was|were cancelled|canceled|delayed",
    "cancelled|canceled|delayed flight|flights|train|trains|bus|buses|ride|trip|reservation|booking|appointment",
    "won't|wont let me log|sign|pay|check|order|checkout",
    "keep|keeps getting|receiving|seeing an|this|the error",
    "keep|keeps getting|receiving|seeing error|errors",
];

const DOUBLE_CHARGE: &[&str] = &[
    "charged|billed|debited|taken twice|double",
    "charged|billed|debited me|us twice|double|again",
    "charged|billed two times",
    "charged|billed me|us two times",
    "charged|billed|debited my card|account twice",
    "charged|billed|debited my|our credit|debit|bank card|account twice|double",
    "charged|billed|debited my|our card|account * times",
    "charged|billed|debited my|our credit|debit|bank card|account * times",
    "charged|billed|debited me|us * times",
    "double charged|billed|charging|billing|payment|payments|charge|charges",
    "duplicate charge|charges|payment|payments|transaction|transactions",
    "two charges|payments|transactions for",
    "paid twice",
    "charged|billed|debited 2x",
    "charged|billed|debited me|us 2x",
];

/// Charges the customer did not owe: after cancelling, fraudulent, or plainly wrong.
const WRONG_CHARGE: &[&str] = &[
    "still being|getting charged|billed",
    "keep|keeps getting charged|billed",
    "charged|billed after cancelling|canceling|cancellation|i cancelled|i canceled",
    "but|and|was|were|got still charged|billed",
    "charged|billed fraudulently|wrongly|incorrectly",
    "charged|billed me|us wrongly|incorrectly",
    "wrongly|incorrectly charged|billed",
    "fraudulent|unauthorised|unauthorized|false|wrong|incorrect charge|charges|transaction|transactions|payment|payments",
    "overcharged|overbilled",
    "over charged|billed",
    "charged|billed for * i|we never ordered|placed|used|received|got",
    "charged|billed for * * i|we never ordered|placed|used|received|got",
    "order|orders|purchase|purchases|transaction|transactions i|we never placed|made|authorised|authorized",
    "charged|billed for equipment|items|something|things that was|were returned",
];

const RUDE_STAFF: &[&str] = &[
    "was|were|is|are|been so|very|really|extremely|incredibly|unbelievably|quite rude",
    "was|were|is|are|been rude",
    "rude to me|us",
    "hung|hang|hangs up on me|us",
    "put|slammed the phone down on me|us",
    "laughed|yelled|shouted|screamed|swore|sneered at me|us",
    "talked|spoke down to me|us",
    "rude agent|staff|employee|driver|courier|person|man|woman|lady|guy|rep|representative|advisor|adviser|colleague|operator",
    "was|were condescending|dismissive|patronising|patronizing|arrogant|unprofessional",
];

const BROKEN_PROMISE: &[&str] = &[
    "you promised",
    "you guys promised",
    "you'd|youd promised",
    "promised me|us",
    "promised to",
    "was|were promised",
    "was told i|it|it'd|that|you|my|the|someone|somebody|they|we",
    "said it|they|you|he|she would|will",
    "said it'd|itd|they'd|theyd|you'd|youd",
    "say|says|said they'll|theyll|you'll|youll|he'll|she'll",
    "but they|you|he|she never do|did|does",
    "but never did",
    "never called|rang|phoned|emailed|wrote|got|came back",
    "never called|rang|phoned|emailed|got me|us back",
    "nobody|noone got|called|rang|phoned|emailed|wrote|came back",
    "no one got|called|rang|phoned|emailed|wrote|came back",
    "nobody|noone called|rang|phoned|emailed|got me|us back",
    "no one called|rang|phoned|emailed|got me|us back",
    "never heard back",
    "haven't|havent heard back",
    "have not heard back",
    "didn't|didnt call|ring|phone|email|get back",
    "still no reply|response|answer|callback",
    "supposed to call|ring|phone|email|contact|refund|replace",
];

/// Purchases long ago, which blame the customer only when they ask to return the item.
const BOUGHT_LONG_AGO: &[&str] = &[
    "bought|ordered|purchased|got|received it|this|them|these|those|the|my * months|years|month|year ago",
    "bought|ordered|purchased|got|received it|this|them|these|those|the|my * * months|years|month|year ago",
];

const OUTSIDE_RETURN_WINDOW: &[&str] = &[
    "past|after|outside|beyond the * day|days",
    "past|after|outside|beyond the * day|days return|returns|refund window|period|policy|limit",
    "past|after|outside|beyond|missed the|your|its|my return|returns|refund window|period|deadline|date|policy",
    "return|returns window|period has|had|have closed|passed|ended|expired|finished",
    "return|returns window|period closed|passed|ended|expired",
    "too late to return|send",
];

const WRONG_SIZE_ORDERED: &[&str] = &[
    "i ordered|chose|picked|selected the|a wrong",
    "i accidentally|mistakenly ordered|bought|chose|picked|selected the|a wrong|smaller|bigger|larger size|one",
    "i accidentally|mistakenly ordered|bought|chose|picked|selected the|a small|medium|large|xs|xl|xxl|petite",
    "ordered|bought|chose|picked a|the small|medium|large|xs|xl|xxl|petite|regular but|and need|needed|wanted|should|require",
    "ordered|bought|chose|picked a|the size * but|and need|needed|wanted|should|require",
    "should have ordered|got|bought|chosen|picked|gone",
    "should've|shouldve ordered|got|bought|chosen|picked|gone",
];

/// A customer owning a mistake that is not about an order: "my bad", "I messed up".
const OWN_MISTAKE: &[&str] = &[
    "my mistake|fault|bad|error",
    "my own fault|mistake",
    "i made a mistake",
    "i made an error",
    "i messed|screwed up",
    // What they did by mistake is not always a size: "I accidentally bought a PSP game".
    "i accidentally|mistakenly ordered|bought|chose|picked|selected|booked|paid|deleted|cancelled|canceled|clicked|subscribed|renewed",
];

/// Fit complaints that blame the customer only when they say they chose the size.
const TOO_SMALL_FOR_ME: &[&str] =
    &["too small|big|large|tight|loose|short|long|narrow|wide for me"];

const INSTRUCTIONS_NOT_FOLLOWED: &[&str] = &[
    "didn't|didnt|never read the|any instructions|manual|label|guide|directions",
    "did not read the|any instructions|manual|label|guide|directions",
    "didn't|didnt|never follow|followed the instructions|manual|guide|directions",
    "did not follow the instructions|manual|guide|directions",
    "i put it|them in the dryer|drier|dishwasher|microwave|oven|freezer|washer",
    "i put it|them in the washing|tumble machine|dryer",
    "i tumble dried|dry it|them",
    "washed it|them hot",
    "washed it|them on hot|high",
    "washed it|them in hot",
    "washed it|them at * degrees",
    "didn't|didnt know i|you had|needed|was|were|should",
    "did not know i|you had|needed|was|were|should",
    "didn't|didnt realise|realize i|you had|needed|was|were|should",
    "i forgot to",
    "i dropped it|them",
    "ignored the instructions|warning|warnings|label",
    "i used it wrong|incorrectly|wrongly",
    "i assembled|installed it wrong|incorrectly|wrongly",
];

/// Every list of cues, with its reason, side and condition.
const CUE_LISTS: &[Cues] = &[
    Cues {
        reason: "late_delivery",
        rule: "fault.late_delivery",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: LATE_DELIVERY,
    },
    Cues {
        reason: "lost_item",
        rule: "fault.lost_item",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: LOST_ITEM,
    },
    Cues {
        reason: "wrong_item",
        rule: "fault.wrong_item",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: WRONG_ITEM,
    },
    Cues {
        reason: "damaged_item",
        rule: "fault.damaged_item",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: DAMAGED_ITEM,
    },
    Cues {
        reason: "service_failure",
        rule: "fault.service_failure",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: SERVICE_FAILURE,
    },
    Cues {
        reason: "double_charge",
        rule: "fault.double_charge",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: DOUBLE_CHARGE,
    },
    Cues {
        reason: "wrong_charge",
        rule: "fault.wrong_charge",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: WRONG_CHARGE,
    },
    Cues {
        reason: "rude_staff",
        rule: "fault.rude_staff",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: RUDE_STAFF,
    },
    Cues {
        reason: "broken_promise",
        rule: "fault.broken_promise",
        side: FaultSide::Company,
        needs: Needs::Nothing,
        phrases: BROKEN_PROMISE,
    },
    Cues {
        reason: "outside_return_window",
        rule: "fault.outside_return_window",
        side: FaultSide::Customer,
        needs: Needs::Nothing,
        phrases: OUTSIDE_RETURN_WINDOW,
    },
    Cues {
        reason: "outside_return_window",
        rule: "fault.outside_return_window",
        side: FaultSide::Customer,
        needs: Needs::ReturnTalk,
        phrases: BOUGHT_LONG_AGO,
    },
    Cues {
        reason: "wrong_size_ordered",
        rule: "fault.wrong_size_ordered",
        side: FaultSide::Customer,
        needs: Needs::Nothing,
        phrases: WRONG_SIZE_ORDERED,
    },
    Cues {
        reason: "wrong_size_ordered",
        rule: "fault.wrong_size_ordered",
        side: FaultSide::Customer,
        needs: Needs::OwnChoice,
        phrases: TOO_SMALL_FOR_ME,
    },
    Cues {
        reason: "instructions_not_followed",
        rule: "fault.instructions_not_followed",
        side: FaultSide::Customer,
        needs: Needs::Nothing,
        phrases: INSTRUCTIONS_NOT_FOLLOWED,
    },
    Cues {
        reason: "own_mistake",
        rule: "fault.own_mistake",
        side: FaultSide::Customer,
        needs: Needs::Nothing,
        phrases: OWN_MISTAKE,
    },
];

/// What one compiled phrase stands for.
#[derive(Debug, Clone, Copy)]
struct CueInfo {
    reason: &'static str,
    rule: &'static str,
    side: FaultSide,
    needs: Needs,
    /// Whether a negation before the phrase cancels it; false when the phrase holds one itself.
    negatable: bool,
}

/// All cues compiled into one set, with what each phrase stands for.
struct CompiledCues {
    phrases: PhraseSet,
    info: Vec<CueInfo>,
    return_talk: PhraseSet,
    own_choice: PhraseSet,
}

/// Whether a phrase contains a negation in any of its alternatives.
fn holds_negation(phrase: &str) -> bool {
    phrase
        .split(|c: char| c.is_whitespace() || c == '|')
        .any(is_negation)
}

fn compiled() -> &'static CompiledCues {
    static CUES: OnceLock<CompiledCues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut phrases = Vec::new();
        let mut info = Vec::new();
        for list in CUE_LISTS {
            for phrase in list.phrases {
                phrases.push(*phrase);
                info.push(CueInfo {
                    reason: list.reason,
                    rule: list.rule,
                    side: list.side,
                    needs: list.needs,
                    negatable: !holds_negation(phrase),
                });
            }
        }
        CompiledCues {
            phrases: PhraseSet::new(&phrases),
            info,
            return_talk: PhraseSet::new(&[
                "return|returns|returning|refund|refunds|refunded|exchange|exchanging|replacement",
                "send|sending it|them back",
                "money back",
            ]),
            own_choice: PhraseSet::new(&[
                "i ordered|chose|picked|selected|bought|ordred",
                "i went for|with",
            ]),
        }
    })
}

/// Damage words that, right after "did not arrive", make it about damage and not lateness.
const DAMAGE_AFTER_ARRIVAL: &[&str] = &[
    "broken",
    "torn",
    "damaged",
    "cracked",
    "smashed",
    "shattered",
    "dented",
    "ripped",
    "scratched",
    "stained",
    "faulty",
    "defective",
    "bent",
    "leaking",
    "crushed",
];

/// Whether a match is an exception to its reason: "did not arrive broken" is not lateness,
/// "I was rude" is not about our staff, "tried it, didn't work" is not a damaged item, and "I
/// canceled the trip" is the customer's own doing.
fn is_exception(tokens: &Tokens, found: &PhraseMatch, reason: &str) -> bool {
    match reason {
        "service_failure" => {
            tokens.is(found.first_word, &["cancelled", "canceled"])
                && found.first_word > 0
                && tokens.is(
                    found.first_word - 1,
                    &[
                        "i", "we", "i've", "ive", "we've", "weve", "just", "had", "have",
                    ],
                )
        }
        "late_delivery" => tokens.is(found.last_word + 1, DAMAGE_AFTER_ARRIVAL),
        "rude_staff" => {
            found.first_word > 0
                && tokens.is(found.first_word - 1, &["i", "i'm", "im", "i've", "ive"])
        }
        "damaged_item" => about_a_fix(tokens, found),
        "own_mistake" => describes_a_noun(tokens, found),
        _ => false,
    }
}

/// Words that may follow "my bad" or "my error" when they own a mistake: "my bad on the
/// wording", "my bad though", "my bad I misread it".
const AFTER_OWNING_UP: &[&str] = &[
    "on", "though", "tho", "then", "again", "for", "guys", "i", "we", "lol", "sorry", "there",
    "here", "haha",
];

/// Whether "my bad" or "my error" is said of a thing rather than owned: "my bad eyes", "my error
/// message", where another word follows with a space alone between.
fn describes_a_noun(tokens: &Tokens, found: &PhraseMatch) -> bool {
    let next = found.last_word + 1;
    tokens.is(found.last_word, &["bad", "error"])
        && tokens.spaced(next)
        && tokens.word(next).starts_with(|c: char| c.is_lowercase())
        && !tokens.is(next, AFTER_OWNING_UP)
}

/// Words before "didn't work" that make it about a fix the customer tried, not about an item.
const TRIED_FIX: &[&str] = &[
    "tried",
    "try",
    "trying",
    "suggested",
    "suggestion",
    "steps",
    "restart",
    "restarted",
    "reset",
    "reinstall",
    "reinstalled",
    "update",
    "updated",
    "upgrade",
    "upgraded",
    "fix",
    "solution",
    "workaround",
    "method",
];

/// Whether a "didn't work" is about a fix rather than an item: it opens the message (after any
/// @handles: "Didn't work."), follows "that" ("that didn't work"), or comes within five words
/// of trying something ("tried, didn't work", "I reset it and it still doesn't work").
fn about_a_fix(tokens: &Tokens, found: &PhraseMatch) -> bool {
    if !tokens.is(found.last_word, &["work", "working"]) {
        return false;
    }
    let first = found.first_word;
    (0..first).all(|i| tokens.is_handle(i))
        || (first > 0 && tokens.is(first - 1, &["that"]))
        || (first.saturating_sub(5)..first).any(|i| tokens.is(i, TRIED_FIX))
}

/// Whose fault the message describes, and why.
pub fn detect_fault(text: &str) -> Fault {
    detect_fault_in(&Tokens::new(text))
}

/// Whose fault the message whose words are `tokens` describes, and why.
pub fn detect_fault_in(tokens: &Tokens) -> Fault {
    let text = tokens.text;
    let cues = compiled();
    let mut return_talk: Option<bool> = None;
    let mut own_choice: Option<bool> = None;
    let mut kept = Vec::new();
    for found in cues.phrases.find_all_in(tokens) {
        let Some(info) = cues.info.get(found.phrase) else {
            continue;
        };
        if info.negatable && negated_before(tokens, found.first_word, 3) {
            continue;
        }
        if is_exception(tokens, &found, info.reason) {
            continue;
        }
        let satisfied =
            match info.needs {
                Needs::Nothing => true,
                Needs::ReturnTalk => *return_talk
                    .get_or_insert_with(|| !cues.return_talk.find_all_in(tokens).is_empty()),
                Needs::OwnChoice => *own_choice
                    .get_or_insert_with(|| !cues.own_choice.find_all_in(tokens).is_empty()),
            };
        if satisfied {
            kept.push(found);
        }
    }
    let reasons: Vec<FaultReason> = non_overlapping(kept)
        .into_iter()
        .filter_map(|found| {
            let info = cues.info.get(found.phrase)?;
            Some(FaultReason {
                reason: info.reason,
                side: info.side,
                evidence: Evidence::of(text, found.start, found.end, info.rule),
            })
        })
        .collect();
    Fault {
        side: side_of(&reasons),
        reasons,
    }
}

/// The side at fault given the reasons: the only side with reasons, or the side with at least
/// two more distinct reasons than the other, or unclear.
fn side_of(reasons: &[FaultReason]) -> FaultSide {
    let distinct = |side: FaultSide| {
        let mut names: Vec<&str> = reasons
            .iter()
            .filter(|r| r.side == side)
            .map(|r| r.reason)
            .collect();
        names.sort_unstable();
        names.dedup();
        names.len()
    };
    let (company, customer) = (distinct(FaultSide::Company), distinct(FaultSide::Customer));
    match (company, customer) {
        (0, 0) => FaultSide::Unclear,
        (_, 0) => FaultSide::Company,
        (0, _) => FaultSide::Customer,
        (c, u) if c >= u + 2 => FaultSide::Company,
        (c, u) if u >= c + 2 => FaultSide::Customer,
        _ => FaultSide::Unclear,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{assert_valid_evidence, strip_markers};

    /// Checks that the reasons found in the marked text are exactly the marked spans, with
    /// these reason names in order, and that the side is `side`.
    fn check(marked: &str, reasons: &[&str], side: FaultSide) {
        let (text, spans) = strip_markers(marked);
        let fault = detect_fault(&text);
        let evidence: Vec<Evidence> = fault.reasons.iter().map(|r| r.evidence.clone()).collect();
        assert_valid_evidence(&text, &evidence);
        let found: Vec<(usize, usize, &str)> = fault
            .reasons
            .iter()
            .map(|r| (r.evidence.start, r.evidence.end, r.reason))
            .collect();
        let wanted: Vec<(usize, usize, &str)> = spans
            .iter()
            .zip(reasons)
            .map(|(&(start, end), &reason)| (start, end, reason))
            .collect();
        assert_eq!(
            spans.len(),
            reasons.len(),
            "markers and reasons of {marked:?}"
        );
        assert_eq!(found, wanted, "reasons in {text:?}");
        assert_eq!(fault.side, side, "side of {text:?}");
    }

    use FaultSide::*;

    #[test]
    fn late_deliveries_are_the_company_s_fault() {
        check(
            "My parcel [[still hasn't arrived]]!",
            &["late_delivery"],
            Company,
        );
        check("It is [[two weeks late]].", &["late_delivery"], Company);
        check("[[Where is my order]]?", &["late_delivery"], Company);
        check(
            "it [[was supposed to arrive]] Monday",
            &["late_delivery"],
            Company,
        );
        check(
            "My package [[was supposed to be here]] between 1pm & 5pm",
            &["late_delivery"],
            Company,
        );
        check(
            "It [[was supposed to be 2 days]] to begin with",
            &["late_delivery"],
            Company,
        );
        check(
            "So this was supposed to be my costume face",
            &[],
            FaultSide::Unclear,
        );
        check("The jacket [[never arrived]].", &["late_delivery"], Company);
    }

    #[test]
    fn lost_wrong_and_damaged_items_are_the_company_s_fault() {
        check("You [[lost my package]]", &["lost_item"], Company);
        check("I [[never received]] it", &["lost_item"], Company);
        check(
            "Ordered 3 chairs, [[only 2 arrived]].",
            &["lost_item"],
            Company,
        );
        check("Two [[parts were missing]]", &["lost_item"], Company);
        check(
            "It's [[marked as delivered but]] nothing came",
            &["lost_item"],
            Company,
        );
        check("You [[sent me the wrong]] jacket", &["wrong_item"], Company);
        check("This is [[not what I ordered]]", &["wrong_item"], Company);
        check(
            "I ordered a blue sweater and [[received a red one]]",
            &["wrong_item"],
            Company,
        );
        check(
            "I [[received a green one instead of]] blue",
            &["wrong_item"],
            Company,
        );
        check("The vase [[arrived broken]]", &["damaged_item"], Company);
        check(
            "they've only gone and [[sent it to the WRONG COUNTRY]]!",
            &["lost_item"],
            Company,
        );
        check(
            "They [[sent the feckin' order to the wrong country]]",
            &["lost_item"],
            Company,
        );
        check(
            "the driver [[goes to the wrong address]] and cancels",
            &["lost_item"],
            Company,
        );
        check("4 [[items missing]] worth £97", &["lost_item"], Company);
        check(
            "so why is my daughter's bday [[gift lost]]? no one knows where it is",
            &["lost_item"],
            Company,
        );
        check("My [[parcel got lost]] in transit", &["lost_item"], Company);
        check(
            "the [[luggage has been lost]] twice",
            &["lost_item"],
            Company,
        );
        check("You [[lost my suitcase]]", &["lost_item"], Company);
        check(
            "still [[missing baggage]] from Tuesday",
            &["lost_item"],
            Company,
        );
        check(
            "the [[baggage was lost]] in Madrid",
            &["lost_item"],
            Company,
        );
        check(
            "My package was not lost, just late",
            &[],
            FaultSide::Unclear,
        );
        check(
            "[[order was messed up]]. Got a $5 refund",
            &["wrong_item"],
            Company,
        );
        check(
            "It [[stopped working]] and it's [[defective]]",
            &["damaged_item", "damaged_item"],
            Company,
        );
        check("The kettle [[doesn't work]]", &["damaged_item"], Company);
        check(
            "It [[stopped working]] after two days",
            &["damaged_item"],
            Company,
        );
    }

    #[test]
    fn a_fix_that_did_not_work_is_no_damaged_item() {
        for text in [
            "@AdobeCare Didn't work. Tried it on another computer",
            "Tried, didn't work",
            "I reset it and it still doesn't work",
            "I tried that and it didn't work",
            "that didn't work either",
        ] {
            check(text, &[], FaultSide::Unclear);
        }
    }

    #[test]
    fn service_failure_phrases_open_with_the_whole_list_of_subjects_or_none_of_it() {
        let subjects = SERVICE_SUBJECTS.join("|");
        for phrase in SERVICE_FAILURE {
            let first = phrase.split(' ').next().unwrap_or_default();
            if first.contains("website") {
                assert_eq!(first, subjects, "{phrase}");
            }
        }
    }

    #[test]
    fn journey_phrases_name_the_whole_list_of_journeys() {
        let journeys = JOURNEYS.join("|");
        for phrase in SERVICE_FAILURE {
            for word in phrase.split(' ').filter(|w| w.contains("flight")) {
                assert_eq!(word, journeys, "{phrase}");
            }
        }
    }

    #[test]
    fn a_website_app_or_connection_that_fails_is_a_service_failure_not_a_damaged_item() {
        for marked in [
            "i've tried on the [[website isn't working]]",
            "Your [[app keeps crashing]] when I pay",
            "The [[internet is down]] again",
            "my [[wifi is still not working]]",
            "the [[site won't load]]",
            "[[Service has been down]] since Monday",
            "another [[outage]] today",
            "it [[won't let me log]] in",
            "I [[keep getting an error]] at checkout",
            "my [[connection keeps cutting out]]",
            "the read the eBook [[link is broken]]",
            "why is the [[app not working]]",
            "Desktop [[app still not working]]",
            "paypal [[payment not working]] since Monday",
            "My [[flight was canceled]] last night.",
            "The [[train was late]] again",
            "Another [[delayed train]] this morning",
            "Why was my [[canceled trip]] charged?",
            "online [[ordering is down]] again",
            "the [[app being down]] cost me my order",
            "[[system down again]] at the store",
            "my phone keeps [[dropping calls]]",
            "I [[keep receiving an error]] message at checkout",
            "[[Train running late]] by more than 4 hours",
            "my [[flight to Chicago was delayed]] six hours",
            "[[flight 1234 was cancelled]] last minute",
            "the [[train from Leeds today was cancelled]]",
        ] {
            check(marked, &["service_failure"], Company);
        }
        // An item that fails is still a damaged item, and a working service is no failure.
        check("The kettle [[isn't working]]", &["damaged_item"], Company);
        check("the app is working fine now", &[], FaultSide::Unclear);
        check("I canceled trip but want a credit", &[], FaultSide::Unclear);
        check("we just cancelled booking 7", &[], FaultSide::Unclear);
        check(
            "the flight I wanted was not delayed",
            &[],
            FaultSide::Unclear,
        );
    }

    #[test]
    fn charges_staff_and_promises_are_the_company_s_fault() {
        check("I was [[charged twice]]", &["double_charge"], Company);
        check(
            "You [[charged me 2x]] 19,99 EUR",
            &["double_charge"],
            Company,
        );
        check("I was [[double charged]]", &["double_charge"], Company);
        check("you [[billed two times]]", &["double_charge"], Company);
        check(
            "[[Order was wrong]] AND they [[charged my credit card twice]]",
            &["wrong_item", "double_charge"],
            Company,
        );
        check(
            "y'all [[charged my account 8 times]]",
            &["double_charge"],
            Company,
        );
        for marked in [
            "it has expired, but I’m [[still being charged]]????",
            "you need to correct [[false charges]] from a trip",
            "my card is being [[charged fraudulently]]",
            "tired of getting [[charged for equipment that was returned]] months ago",
            "My wife account got charged w 2 uber eats [[orders we never placed]]",
            "I cancelled my subscription [[and still charged]]",
            "I cancelled and [[was still charged]] in May",
        ] {
            check(marked, &["wrong_charge"], Company);
        }
        check("I was not overcharged, all fine", &[], FaultSide::Unclear);
        check(
            "Your agent [[was rude]] and [[hung up on me]]",
            &["rude_staff", "rude_staff"],
            Company,
        );
        check(
            "[[You promised]] a refund and [[nobody got back]] to me",
            &["broken_promise", "broken_promise"],
            Company,
        );
        check(
            "I [[was told I]] would get a call",
            &["broken_promise"],
            Company,
        );
        check(
            "When they [[say they'll]] call you back in 15 minutes [[but they never do]]",
            &["broken_promise", "broken_promise"],
            Company,
        );
    }

    #[test]
    fn the_customer_s_own_mistakes_are_theirs() {
        check(
            "I [[bought it 3 months ago]] and want a refund",
            &["outside_return_window"],
            Customer,
        );
        check(
            "I know it's [[past the 30 days]]",
            &["outside_return_window"],
            Customer,
        );
        check(
            "I know it's [[after the return window]]",
            &["outside_return_window"],
            Customer,
        );
        check(
            "[[I ordered the wrong]] size",
            &["wrong_size_ordered"],
            Customer,
        );
        check(
            "I [[ordered a medium but need]] a large",
            &["wrong_size_ordered"],
            Customer,
        );
        check(
            "I ordered an S and it is [[too small for me]]",
            &["wrong_size_ordered"],
            Customer,
        );
        check("Sorry, [[my mistake]]", &["own_mistake"], Customer);
        check(
            "[[I accidentally bought]] a psp game instead of the vita one",
            &["own_mistake"],
            Customer,
        );
        check(
            "[[I mistakenly ordered the wrong size]], can I swap it?",
            &["wrong_size_ordered"],
            Customer,
        );
        check(
            "[[I accidentally ordered a medium]]",
            &["wrong_size_ordered"],
            Customer,
        );
        check(
            "[[I accidentally deleted]] my playlist",
            &["own_mistake"],
            Customer,
        );
        check(
            "I set it up before I was 18. Fair play, [[my bad]].",
            &["own_mistake"],
            Customer,
        );
        check(
            "[[My bad]] on the wording, and I got my error message again",
            &["own_mistake"],
            Customer,
        );
        check("is it because of my bad eyes?", &[], Unclear);
        check(
            "I [[didn't read the instructions]]",
            &["instructions_not_followed"],
            Customer,
        );
        check(
            "[[I put it in the dryer]]",
            &["instructions_not_followed"],
            Customer,
        );
        check(
            "I [[didn't know I had]] to charge it",
            &["instructions_not_followed"],
            Customer,
        );
    }

    #[test]
    fn negations_cancel_cues() {
        check("It did not arrive broken, thanks", &[], Unclear);
        check("it was never defective", &[], Unclear);
        check("It's not my mistake", &[], Unclear);
        check("The agent wasn't rude", &[], Unclear);
    }

    #[test]
    fn cues_that_need_context_wait_for_it() {
        check("I bought it 3 months ago and love it", &[], Unclear);
        check("These shoes are too small for me", &[], Unclear);
        check("I was rude to the driver, sorry", &[], Unclear);
    }

    #[test]
    fn mixed_blame_is_unclear_unless_one_side_has_two_more_reasons() {
        check(
            "I [[washed it hot]] and now it [[doesn't work]]",
            &["instructions_not_followed", "damaged_item"],
            Unclear,
        );
        check(
            "[[My mistake]], but you [[charged me twice]], it [[arrived broken]] and [[never arrived]] on time",
            &["own_mistake", "double_charge", "damaged_item", "late_delivery"],
            Company,
        );
    }

    #[test]
    fn no_cues_leave_fault_unclear() {
        check("Hello, I have a question about sizes.", &[], Unclear);
    }
}
