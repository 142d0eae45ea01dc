//! Tests of the coach with the shipped models.

use proptest::prelude::*;

use super::pack::RuleKind;
use super::*;
use crate::testing::{models, strip_markers};

/// A calm customer with a clear order number and no stated fault.
const CALM: &[(Role, &str)] = &[(
    Role::Customer,
    "Hi, order #A10234 arrived with a broken handle on the kettle. Can you help?",
)];
/// An upset customer whose item the company damaged.
const DAMAGED: &[(Role, &str)] = &[(
    Role::Customer,
    "This is the third time I'm writing! My order #A10234 arrived damaged and nobody has \
     helped. I'm furious.",
)];
/// A customer who says which resolution they want.
const REFUND_ASKED: &[(Role, &str)] = &[(
    Role::Customer,
    "My order #A10234 arrived with a broken handle on the kettle. I want a refund, please.",
)];
/// A customer who insults the agent.
const ABUSIVE: &[(Role, &str)] = &[(
    Role::Customer,
    "You useless idiot, where is my refund for order #A10234?",
)];
/// A customer who says, calmly, that they ordered the wrong size. (Said "by mistake", the
/// sentiment model reads it as negative enough to make the heat `upset`: a known false alarm.)
const MISTAKE: &[(Role, &str)] = &[(
    Role::Customer,
    "Hi, I ordered the wrong size, order #A10234. Can I swap it for a larger one?",
)];
/// A customer whose parcel never came, with no order number given.
const MISSING: &[(Role, &str)] = &[(
    Role::Customer,
    "My parcel never arrived and I'm really upset about it.",
)];
/// The damaged-item case after the agent already apologised once.
const APOLOGISED: &[(Role, &str)] = &[
    (
        Role::Customer,
        "This is the third time I'm writing! My order #A10234 arrived damaged and nobody has \
         helped. I'm furious.",
    ),
    (
        Role::Agent,
        "I'm sorry your order A10234 arrived damaged; that was our mistake. Could you send a photo?",
    ),
    (Role::Customer, "Here is the photo of order #A10234."),
];
/// No conversation at all.
const NONE: &[(Role, &str)] = &[];
/// A customer charged twice, worried about the money, with the order number.
const WORRIED: &[(Role, &str)] = &[(
    Role::Customer,
    "I was charged twice for order #B20417 and I'm really worried the rent payment will bounce. \
     Please help.",
)];
/// A long conversation: the customer asked, the agent answered, the customer came back angrier.
const FOLLOW_UP: &[(Role, &str)] = &[
    (
        Role::Customer,
        "Where is my order #C30555? It was supposed to arrive last week.",
    ),
    (
        Role::Agent,
        "Thanks for reaching out about order C30555. Could you confirm the delivery address?",
    ),
    (
        Role::Customer,
        "It's 12 Hill Road, same as always. This is ridiculous, it's a week late and I needed \
         those boots for a trip!",
    ),
];

/// A customer who gives the order and what they want, but not when it arrived.
const UNDATED: &[(Role, &str)] = &[(
    Role::Customer,
    "Order #D40123 arrived with a cracked screen. I want a replacement.",
)];
/// A customer who gives the order and when it arrived, but not what they want.
const NO_OUTCOME: &[(Role, &str)] = &[(
    Role::Customer,
    "Order #D40123 arrived yesterday with a cracked screen.",
)];
/// A customer who gives the order, when it arrived and what they want.
const COMPLETE: &[(Role, &str)] = &[(
    Role::Customer,
    "Order #D40123 arrived yesterday with a cracked screen. I want a refund.",
)];
/// The undated case after the agent already asked when it arrived.
const ASKED_WHEN: &[(Role, &str)] = &[
    (
        Role::Customer,
        "Order #D40123 arrived with a cracked screen. I want a replacement.",
    ),
    (
        Role::Agent,
        "I'm sorry about the screen on order D40123. When did the parcel arrive?",
    ),
    (Role::Customer, "I can't remember exactly, sorry."),
];

/// A customer with no problem and no request: a good day at the shop.
const HAPPY: &[(Role, &str)] = &[(
    Role::Customer,
    "Got my Halloween burrito for wearing my minion outfit today, well worth it!",
)];

/// The conversation as turns.
fn turns(conversation: &[(Role, &str)]) -> Vec<Turn> {
    conversation
        .iter()
        .map(|(role, text)| Turn {
            role: *role,
            text: (*text).to_owned(),
        })
        .collect()
}

/// One gallery case: the conversation, the kind of draft, the draft with the expected spans
/// marked, and for each marked span the rules expected there (joined with `+` when several).
type Case = (
    &'static [(Role, &'static str)],
    DraftKind,
    &'static str,
    &'static [&'static str],
);

const REPLY: DraftKind = DraftKind::Reply;
const NOTE: DraftKind = DraftKind::Note;

const GALLERY: &[Case] = &[
    // Good replies come out without warnings or errors.
    (
        DAMAGED,
        REPLY,
        "I'm so sorry your order A10234 arrived damaged, and I understand how frustrating it is \
         to write three times; that was our mistake. I can send a replacement today or refund you \
         within 24 hours. Which would you prefer?",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Thank you for letting us know about order A10234. I can send a new kettle tomorrow or \
         refund it today. Does that work for you?",
        &[],
    ),
    (
        ABUSIVE,
        REPLY,
        "I want to help with order A10234, and I need us to keep this respectful. If you would \
         prefer, my manager can take over.",
        &[],
    ),
    (
        MISTAKE,
        REPLY,
        "Thanks for telling us about order A10234. I can exchange it for the right size today or \
         refund you tomorrow; does that work for you?",
        &[],
    ),
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Could you share your order \
         number so I can trace it?",
        &[],
    ),
    (
        NONE,
        NOTE,
        "Customer was upset about the late parcel; refund approved.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Could you send a photo of the kettle handle from order A10234?",
        &[],
    ),
    (
        APOLOGISED,
        REPLY,
        "Thank you for the photo of order A10234. I will send a replacement today, or a refund if \
         you prefer. Does that work for you?",
        &[],
    ),
    // Negative and deflecting phrasing.
    (
        CALM,
        REPLY,
        "For order A10234 [[you have to talk to sales]].",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[We can't]] refund order A10234. Could you send a photo?",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "Order A10234? [[That's not my job]].",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[Per our policy]] the kettle from order A10234 needs a photo. Could you send one?",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[Unfortunately there's nothing]] more to do about order A10234.",
        &["positive.deflecting"],
    ),
    // Blame at the customer.
    (
        CALM,
        REPLY,
        "[[You didn't read]] the care guide for order A10234.",
        &["blame.customer"],
    ),
    (
        CALM,
        REPLY,
        "[[You should have]] checked order A10234 sooner.",
        &["blame.customer"],
    ),
    // Condescension.
    (
        CALM,
        REPLY,
        "Please [[calm down]]. What happened to order A10234?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[As I already said]], order A10234 is covered. Could you send a photo?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[Obviously]] the handle of order A10234 should not break. Could you send a photo?",
        &["tone.condescending"],
    ),
    (
        CALM,
        REPLY,
        "[[To be honest]], order A10234 looks fine. Could you send a photo?",
        &["tone.condescending"],
    ),
    // Arguing.
    (
        CALM,
        REPLY,
        "[[That's not true]]; order A10234 was checked. Could you send a photo?",
        &["tone.arguing"],
    ),
    (
        CALM,
        REPLY,
        "[[No, you]] asked for this kettle in order A10234. Could you send a photo?",
        &["tone.arguing"],
    ),
    // Sarcasm, profanity, shouting, threats.
    (
        CALM,
        REPLY,
        "[[Oh great]], another broken kettle in order A10234. Could you send a photo?",
        &["tone.sarcasm"],
    ),
    (
        CALM,
        REPLY,
        "The [[damn]] courier broke order A10234. Could you send a photo?",
        &["tone.profanity"],
    ),
    (
        CALM,
        REPLY,
        "[[PLEASE READ]] my message about order A10234. Could you send a photo?",
        &["tone.shouting"],
    ),
    (
        CALM,
        REPLY,
        "Order A10234 is on its way[[!!!]] Could you send a photo?",
        &["tone.shouting"],
    ),
    (
        ABUSIVE,
        REPLY,
        "I hear you, but [[you'll regret]] talking to me like that. I need us to keep this \
         respectful, or my manager takes over.",
        &["tone.threat"],
    ),
    (
        ABUSIVE,
        REPLY,
        "I want to help, and I need us to keep this respectful; my manager can take over. Talk \
         to me like that again and [[see what happens]].",
        &["tone.threat"],
    ),
    (
        ABUSIVE,
        REPLY,
        "I want to help, and I need us to keep this respectful; my manager can take over. \
         [[Shut up]] and wait [[like everyone else]].",
        &["tone.dismissive", "tone.dismissive"],
    ),
    (
        MISTAKE,
        REPLY,
        "[[That's not how it works]]. [[You didn't follow]] the size chart for order A10234.",
        &["tone.arguing", "blame.customer"],
    ),
    (
        CALM,
        REPLY,
        "[[I've told you]] that order A10234 is on its way. [[We're not responsible for]] the \
         courier. Could you send a photo?",
        &["tone.condescending", "positive.deflecting"],
    ),
    // Correct indirectly.
    (
        MISTAKE,
        REPLY,
        "[[You ordered the wrong size]] in order A10234. Could you tell me the size you need?",
        &["correct.indirectly"],
    ),
    (
        CALM,
        REPLY,
        "[[You're wrong]] about order A10234. Could you send a photo?",
        &["correct.indirectly"],
    ),
    (
        CALM,
        REPLY,
        "[[That's incorrect]], order A10234 has a warranty. Could you send a photo?",
        &["correct.indirectly"],
    ),
    // Apologise once and own it.
    (
        DAMAGED,
        REPLY,
        "I'm sorry your order A10234 arrived damaged, that was our mistake. I understand. \
         [[Sorry]] again. Could you send a photo?",
        &["apology.once"],
    ),
    (
        APOLOGISED,
        REPLY,
        "[[Sorry]] again about order A10234. I will send a replacement today or a refund. Does \
         that work for you?",
        &["apology.once"],
    ),
    (
        DAMAGED,
        REPLY,
        "[[I understand this is frustrating.]] Could you send a photo of order A10234?",
        &["apology.own_it"],
    ),
    (
        CALM,
        REPLY,
        "I understand, and we are [[sorry for any inconvenience]] with order A10234. Could you \
         send a photo?",
        &["apology.non_apology"],
    ),
    (
        CALM,
        REPLY,
        "I'm [[sorry you feel that way]] about order A10234. Could you send a photo?",
        &["apology.non_apology"],
    ),
    // Listen and restate.
    (
        CALM,
        REPLY,
        "I can send a new kettle today or a [[refund]] tomorrow. Does that work for you?",
        &["listen.acknowledge"],
    ),
    // Empathy when the customer is upset.
    (
        DAMAGED,
        REPLY,
        "[[Order A10234 is noted.]] We got this wrong, and a [[replacement]] ships today.",
        &["empathy.reactions", "resolve.options+resolve.satisfaction"],
    ),
    // Root cause: the order number is missing.
    (
        MISSING,
        REPLY,
        "[[I'm sorry your parcel never arrived.]]",
        &["root_cause.ask"],
    ),
    // Timelines for promises.
    (
        CALM,
        REPLY,
        "[[I will]] look into order A10234. Could you send a photo?",
        &["resolve.timeline"],
    ),
    (
        CALM,
        REPLY,
        "For order A10234, [[we'll]] send a new kettle or a refund. Does that work for you?",
        &["resolve.timeline"],
    ),
    // Giving the resolution the customer asked for needs no choice; offering another does.
    (
        REFUND_ASKED,
        REPLY,
        "I'm sorry the kettle from order A10234 arrived broken. I've issued your refund today; \
         you'll see it within 3-5 business days. Does that work for you?",
        &[],
    ),
    (
        REFUND_ASKED,
        REPLY,
        "I'm sorry the kettle from order A10234 arrived broken. I can send a \
         [[replacement]] today. Does that work for you?",
        &["resolve.options"],
    ),
    // "Can I swap it?" asks for a new item: offering one needs no other choice.
    (
        MISTAKE,
        REPLY,
        "No problem at all, sizing can be tricky. I can swap order A10234 for a larger size \
         today; it ships within 2 days. Would that work for you?",
        &[],
    ),
    // An action taken sets an expectation too: when will the customer see it?
    (
        CALM,
        REPLY,
        "Thanks for telling us about the broken handle on order A10234. [[I've issued]] a \
         [[refund]]. Does that work for you?",
        &["resolve.timeline", "resolve.options"],
    ),
    (
        CALM,
        REPLY,
        "Thanks for telling us about the broken handle on order A10234. I've issued a refund \
         today, or we can send a new kettle; you'll see the money within 3-5 business days. \
         Does that work for you?",
        &[],
    ),
    // Boundaries with an abusive customer.
    (
        ABUSIVE,
        REPLY,
        "[[I will check order A10234 today.]]",
        &["boundary.abuse+empathy.reactions"],
    ),
    (
        ABUSIVE,
        REPLY,
        "[[Please keep this respectful.]] I will check order A10234 today.",
        &["boundary.abuse+empathy.reactions"],
    ),
    // Answering abuse in kind.
    (
        ABUSIVE,
        REPLY,
        "[[Order A10234 is noted.]] [[Who do you think you're talking to]]? Maybe [[learn some \
         manners]].",
        &[
            "boundary.abuse+empathy.reactions",
            "tone.retort",
            "tone.retort",
        ],
    ),
    // A boundary in other words, with the way to a manager.
    (
        ABUSIVE,
        REPLY,
        "I want to help with your refund for order A10234, but I won't be able to continue if the \
         language stays like this. If you'd prefer, I can pass this to my manager.",
        &[],
    ),
    // Notes about the customer.
    (
        NONE,
        NOTE,
        "Customer is a total [[nutcase]], ignore him.",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Another [[idiot customer]] about shipping.",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Says it never came, probably a [[liar]].",
        &["notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Cust was rude, [[probably lying]] about the damage. Refunded anyway, what a [[drama \
         queen]].",
        &["notes.derogatory", "notes.derogatory"],
    ),
    (
        NONE,
        NOTE,
        "Parcel was left lying on the porch in the rain; refund approved.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "For order A10234: [[as stated in our terms]], [[we do not accept]] returns after 30 \
         days. Could you send a photo of the handle?",
        &["positive.deflecting", "positive.deflecting"],
    ),
    (
        NONE,
        NOTE,
        "Refund order A10234, then we can't help any more.",
        &[],
    ),
    // Several findings in one draft.
    (
        CALM,
        REPLY,
        "[[Calm down]], [[you should have]] read it. [[We can't]] help with order A10234. Could \
         you send a photo?",
        &[
            "tone.condescending",
            "blame.customer",
            "positive.deflecting",
        ],
    ),
    // More good replies, in every kind of conversation, that must come out clean.
    (
        WORRIED,
        REPLY,
        "I understand how worrying a double charge on order B20417 is, and that was our mistake. \
         I will refund the second payment today, or hold it as store credit if you prefer. Does \
         that work for you?",
        &[],
    ),
    (
        FOLLOW_UP,
        REPLY,
        "I'm sorry your boots from order C30555 are a week late; that was our mistake, and I \
         understand how frustrating it is before a trip. I can send a new pair by express today \
         or refund you in full within 24 hours. Which would you prefer?",
        &[],
    ),
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; I understand how upsetting that is. Could you share \
         your order number and the date you ordered, so I can trace it?",
        &[],
    ),
    (
        MISTAKE,
        REPLY,
        "Thank you for letting us know about order A10234. Could you tell me the size you need?",
        &[],
    ),
    (
        NONE,
        REPLY,
        "Thank you for your message. Could you share your order number so I can look into it?",
        &[],
    ),
    (
        NONE,
        NOTE,
        "Customer raised their voice about the late parcel; offered a refund or a resend, they \
         chose the refund.",
        &[],
    ),
    // Negative and deflecting phrasing, more forms.
    (
        CALM,
        REPLY,
        "[[There is nothing I can do]] about order A10234. Could you send a photo?",
        &["positive.deflecting"],
    ),
    (
        CALM,
        REPLY,
        "[[I don't know]] what happened to order A10234. Could you send a photo?",
        &["positive.deflecting"],
    ),
    // Blame and arguing, more forms.
    (
        CALM,
        REPLY,
        "[[You forgot to]] register order A10234. Could you send a photo?",
        &["blame.customer"],
    ),
    (
        CALM,
        REPLY,
        "[[That's not what happened]]; order A10234 left us intact. Could you send a photo of the \
         handle?",
        &["tone.arguing"],
    ),
    // Sarcasm, profanity and threats, in replies and in notes.
    (
        CALM,
        REPLY,
        "[[Good luck with that]] kettle from order A10234. Could you send a photo?",
        &["tone.sarcasm"],
    ),
    (
        NONE,
        NOTE,
        "What a [[crap]] day; the customer wants a refund on order A10234.",
        &["tone.profanity"],
    ),
    (
        NONE,
        NOTE,
        "If she writes again [[we'll blacklist you]], tell her that.",
        &["tone.threat"],
    ),
    (
        NONE,
        NOTE,
        "Customer keeps calling, [[NEVER AGAIN]] with this one.",
        &["tone.shouting"],
    ),
    // Correct indirectly: a warning when the customer's own message does not show the mistake.
    (
        CALM,
        REPLY,
        "[[You got it wrong]]: order A10234 is a kettle, not a toaster. Could you send a photo?",
        &["correct.indirectly"],
    ),
    // Apologies: "sorry, but", non-apologies, too many, none when it was our fault.
    (
        CALM,
        REPLY,
        "I'm [[sorry the kettle from order A10234 broke, but]] the warranty has ended. Could you \
         send a photo?",
        &["apology.but"],
    ),
    (
        CALM,
        REPLY,
        "We [[apologise for any inconvenience]] with order A10234. Could you send a photo?",
        &["apology.non_apology"],
    ),
    (
        FOLLOW_UP,
        REPLY,
        "I understand how frustrating this is, and order C30555 is late. Sorry. I will send a new \
         pair today, or a refund. [[Sorry]] again. Does that work for you?",
        &["apology.once"],
    ),
    (
        WORRIED,
        REPLY,
        "[[I can see why this is worrying.]] Could you tell me the date of both payments for order \
         B20417?",
        &["apology.own_it"],
    ),
    // Listen: a fix that does not name the issue.
    (
        FOLLOW_UP,
        REPLY,
        "I understand how frustrating this is and we got this wrong. I can send a [[replacement]] \
         today or refund you; which would you prefer?",
        &["listen.acknowledge"],
    ),
    (
        CALM,
        REPLY,
        "I can send a [[replacement]] today or a refund tomorrow. The courier collects the kettle \
         from order A10234 then. Does that work for you?",
        &["listen.acknowledge"],
    ),
    // Empathy fitted to the feeling.
    (
        DAMAGED,
        REPLY,
        "[[That was our mistake with order A10234.]] Could you send a photo of the damage?",
        &["empathy.reactions"],
    ),
    // Root cause: a request to send the details asks for them too, and a customer with no
    // problem has no facts to give.
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Please DM us your order \
         number and we will trace it today.",
        &[],
    ),
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Send us a DM and we will \
         look into it today.",
        &[],
    ),
    (HAPPY, REPLY, "Love it! Thanks so much for stopping by.", &[]),
    // A promise that waits on the customer's message, or passes their words on, needs no date.
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Send us a DM with your \
         order number and we'll follow up.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Sorry about the broken handle on order A10234. We'll pass your comments on to our \
         kettle team.",
        &[],
    ),
    // Nor do an offer of help, a hope, a refusal, being there, or passing words on with words
    // between; but "we'll let you know" promises the customer something.
    (
        CALM,
        REPLY,
        "Sorry about the broken handle on order A10234. I'll definitely share this with our \
         kettle team, and I'll do my best to help.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Sorry about the broken handle on order A10234. Hopefully we'll have the new handles \
         soon; we'll be here if it happens again.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "Sorry about the broken handle on order A10234. We will not be able to repair it, \
         but we'll let our kettle team know.",
        &[],
    ),
    (
        CALM,
        REPLY,
        "[[Sorry about the broken handle on order A10234.]] [[We'll]] let you know what our \
         kettle team says.",
        &["root_cause.ask", "resolve.timeline"],
    ),
    // A reply that tells the customer what they can do answers rather than investigates.
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. You can report it on our \
         missing parcel page and we will trace it within 24 hours.",
        &[],
    ),
    // Root cause: nothing asked while the order number is still missing.
    (
        MISSING,
        REPLY,
        "[[That must be upsetting; I'm sorry your parcel never arrived.]] We will look for it \
         today.",
        &["root_cause.ask"],
    ),
    // Options, timelines and the satisfaction check.
    (
        CALM,
        REPLY,
        "I can send a [[replacement]] kettle for order A10234 today. Does that work for you?",
        &["resolve.options"],
    ),
    (
        CALM,
        REPLY,
        "I can send a new kettle for order A10234 today or a [[refund]] tomorrow.",
        &["resolve.satisfaction"],
    ),
    (
        CALM,
        REPLY,
        "For order A10234, would you prefer a refund today or a new kettle by Friday?",
        &[],
    ),
    (
        CALM,
        REPLY,
        "I'm happy to help with your refund for order A10234. Could you tell me when the \
         kettle arrived, so I can check the refund's status?",
        &[],
    ),
    (
        WORRIED,
        REPLY,
        "I understand how worrying this is; that was our mistake with order B20417. [[We will]] \
         refund the second payment, or keep it as credit. Does that work for you?",
        &["resolve.timeline"],
    ),
    // Boundaries: answering abuse in kind is an error as well as a missing boundary.
    (
        ABUSIVE,
        REPLY,
        "[[I understand you are upset about order A10234, and I want to help.]] I am checking it \
         now.",
        &["boundary.abuse"],
    ),
    (
        ABUSIVE,
        REPLY,
        "I hear you. Talk to me like that again, you [[moron]], and my manager takes over order \
         A10234; keep this respectful.",
        &["notes.derogatory"],
    ),
    // Politeness and filler: hints, not faults.
    (
        CALM,
        REPLY,
        "[[Can you]] send a photo of the handle from order A10234?",
        &["politeness.direct_request"],
    ),
    (
        CALM,
        REPLY,
        "I just checked order A10234, and it is actually there, [[basically]]. Could you send a \
         photo?",
        &["tone.filler"],
    ),
    // Root cause: each missing fact (order number, when, outcome) and its clean counterparts.
    (
        UNDATED,
        REPLY,
        "[[I'm sorry the screen on order D40123 arrived cracked.]] We will look into it today.",
        &["root_cause.ask"],
    ),
    (
        UNDATED,
        REPLY,
        "I'm sorry the screen on order D40123 arrived cracked. When did the parcel arrive?",
        &[],
    ),
    (
        NO_OUTCOME,
        REPLY,
        "[[I'm sorry the screen on order D40123 arrived cracked.]] We will look into it today.",
        &["root_cause.ask"],
    ),
    (
        NO_OUTCOME,
        REPLY,
        "I'm sorry the screen on order D40123 arrived cracked. What outcome would you like from \
         us?",
        &[],
    ),
    (
        NO_OUTCOME,
        REPLY,
        "I'm sorry the screen on order D40123 arrived cracked. I can send a replacement today or \
         refund you tomorrow. Does that work for you?",
        &[],
    ),
    (
        COMPLETE,
        REPLY,
        "I'm sorry the screen on order D40123 arrived cracked. We will look into it today.",
        &[],
    ),
    (
        ASKED_WHEN,
        REPLY,
        "No problem. We will look into order D40123 today.",
        &[],
    ),
    (
        MISSING,
        REPLY,
        "[[I'm sorry your parcel never arrived; that must be upsetting.]] We will look into it \
         today.",
        &["root_cause.ask"],
    ),
    (
        MISSING,
        REPLY,
        "I'm sorry your parcel never arrived; that must be upsetting. Could you tell me your \
         order number?",
        &[],
    ),
];

/// The findings of a review as `(rule, start, end)`, sorted.
fn flagged(review: &Review) -> Vec<(String, usize, usize)> {
    let mut found: Vec<(String, usize, usize)> = review
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.start, f.end))
        .collect();
    found.sort();
    found
}

#[test]
fn the_gallery_finds_exactly_the_marked_spans() {
    assert!(GALLERY.len() >= 60, "the gallery has at least 60 cases");
    let mut failures = Vec::new();
    for (conversation, kind, marked, rules) in GALLERY {
        let (draft, spans) = strip_markers(marked);
        assert_eq!(
            spans.len(),
            rules.len(),
            "one rule list per marker in {marked:?}"
        );
        let mut expected: Vec<(String, usize, usize)> = spans
            .iter()
            .zip(rules.iter())
            .flat_map(|(&(start, end), joined)| {
                joined
                    .split('+')
                    .map(move |rule| (rule.to_owned(), start, end))
            })
            .collect();
        expected.sort();
        let review = review(models(), &turns(conversation), &draft, *kind, &[]);
        let found = flagged(&review);
        if found != expected {
            failures.push(format!(
                "{draft:?}\n  expected {expected:?}\n  found    {found:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_gallery_covers_every_rule_of_the_default_pack_and_good_replies() {
    let marked: Vec<&str> = GALLERY
        .iter()
        .flat_map(|(_, _, _, rules)| rules.iter().flat_map(|r| r.split('+')))
        .collect();
    for rule in default_pack().rules {
        assert!(
            marked.contains(&rule.id.as_str()),
            "no gallery case shows {}",
            rule.id
        );
    }
    let clean = |kind: DraftKind| {
        GALLERY
            .iter()
            .filter(|(_, k, _, rules)| *k == kind && rules.is_empty())
            .count()
    };
    assert!(clean(REPLY) >= 10, "at least ten good replies");
    assert!(clean(NOTE) >= 2, "at least two good notes");
}

#[test]
fn every_example_of_the_default_pack_behaves() {
    let pack = default_pack();
    assert!(pack.rules.len() >= 20, "the default pack has its rules");
    assert_eq!(test_pack(&pack), Vec::<ExampleFailure>::new());
}

#[test]
fn every_rule_of_the_default_pack_carries_examples_both_ways() {
    for rule in default_pack().rules {
        assert!(
            !rule.examples_match.is_empty(),
            "{} has match examples",
            rule.id
        );
        assert!(
            !rule.examples_no_match.is_empty(),
            "{} has no_match examples",
            rule.id
        );
    }
}

#[test]
fn the_same_input_gives_the_same_review() {
    let conversation = turns(DAMAGED);
    let draft = "Calm down, we can't refund order A10234. Sorry. Sorry again!!!";
    let first = review(models(), &conversation, draft, REPLY, &[]);
    let second = review(models(), &conversation, draft, REPLY, &[]);
    assert_eq!(first, second);
    assert_eq!(
        serde_json::to_string(&first).expect("a review serialises"),
        serde_json::to_string(&second).expect("a review serialises")
    );
}

#[test]
fn the_review_json_has_the_contract_keys() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "We can't help. Could you send a photo?",
        REPLY,
        &[],
    );
    let json = serde_json::to_value(&review).expect("a review serialises");
    let keys = |value: &serde_json::Value| -> Vec<String> {
        let mut keys: Vec<String> = value
            .as_object()
            .expect("an object")
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(
        keys(&json),
        [
            "checklist",
            "checklist_reasons",
            "empathy",
            "findings",
            "packs",
            "politeness",
            "politeness_markers",
            "score"
        ]
    );
    assert_eq!(
        keys(&json["findings"][0]),
        [
            "end",
            "message",
            "rule",
            "severity",
            "start",
            "suggestions",
            "text"
        ]
    );
    assert_eq!(
        keys(&json["checklist"]),
        [
            "acknowledged",
            "apology",
            "boundary",
            "clarifying_question",
            "empathy",
            "next_step",
            "options",
            "satisfaction_check",
            "timeline"
        ]
    );
    for item in [
        "acknowledged",
        "boundary",
        "clarifying_question",
        "empathy",
        "next_step",
        "options",
        "satisfaction_check",
        "timeline",
    ] {
        let value = &json["checklist"][item];
        assert!(value.is_boolean() || value.is_null(), "{item}: {value}");
        assert!(
            json["checklist_reasons"][item]
                .as_str()
                .is_some_and(|r| !r.is_empty()),
            "{item} has no reason"
        );
    }
    assert_eq!(
        keys(&json["checklist"]["apology"]),
        ["count", "needed", "owned"]
    );
    assert_eq!(
        keys(&json["empathy"]),
        ["emotional_reactions", "explorations", "interpretations"]
    );
    assert_eq!(keys(&json["empathy"]["interpretations"]), ["level", "p"]);
    assert_eq!(
        json["empathy"]["explorations"]["p"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(json["packs"][0]["name"], "calmdesk-default");
    assert!(json["score"].is_u64());
    assert!(json["politeness"].is_f64());
}

#[test]
fn a_blunt_correction_is_an_error_when_the_customer_made_the_mistake() {
    let severity = |conversation: &[(Role, &str)]| {
        review(
            models(),
            &turns(conversation),
            "You're wrong about order A10234. Could you send a photo?",
            REPLY,
            &[],
        )
        .findings
        .iter()
        .find(|f| f.rule == "correct.indirectly")
        .map(|f| f.severity)
    };
    assert_eq!(severity(MISTAKE), Some(Severity::Error));
    assert_eq!(severity(CALM), Some(Severity::Warning));
}

#[test]
fn substitutions_offer_their_rewrite_in_the_case_of_the_text() {
    let review = review(models(), &turns(CALM), "We can't do that.", REPLY, &[]);
    let finding = review
        .findings
        .iter()
        .find(|f| f.rule == "positive.deflecting")
        .expect("the deflection is found");
    assert_eq!(finding.suggestions, ["What we can do is"]);
}

#[test]
fn apologies_are_counted_across_the_agents_turns_and_the_draft() {
    let review = review(
        models(),
        &turns(APOLOGISED),
        "Sorry again about order A10234.",
        REPLY,
        &[],
    );
    assert_eq!(review.checklist.apology.count, 2);
    assert!(review.checklist.apology.needed);
    assert!(review.checklist.apology.owned);
}

#[test]
fn a_good_reply_ticks_the_checklist_and_scores_full_marks() {
    let (conversation, kind, draft, _) = GALLERY[0];
    let review = review(models(), &turns(conversation), draft, kind, &[]);
    let list = &review.checklist;
    assert_eq!(list.acknowledged.value, Some(true));
    assert_eq!(list.empathy.value, Some(true));
    assert_eq!(list.options.value, Some(true));
    assert_eq!(list.clarifying_question.value, None);
    assert_eq!(
        list.clarifying_question.reason,
        "the draft already proposes a resolution"
    );
    assert_eq!(list.satisfaction_check.value, Some(true));
    assert_eq!(list.next_step.value, Some(true));
    assert_eq!(list.boundary.value, None);
    assert_eq!(list.boundary.reason, "the customer is not abusive");
    assert_eq!(list.apology.count, 1);
    assert_eq!(review.score, 100);
}

#[test]
fn the_root_cause_finding_names_the_missing_facts_and_asks_for_them() {
    let review = review(
        models(),
        &turns(MISSING),
        "I'm sorry your parcel never arrived.",
        REPLY,
        &[],
    );
    let found = review
        .findings
        .iter()
        .find(|f| f.rule == "root_cause.ask")
        .expect("root_cause.ask fires");
    assert!(
        found.message.contains("the order number"),
        "{}",
        found.message
    );
    assert!(!found.message.contains("{missing}"), "{}", found.message);
    assert!(found
        .suggestions
        .contains(&"Could you tell me your order number?".to_owned()));
    assert!(found.suggestions.iter().all(|s| s.ends_with('?')));

    let review = review_of(UNDATED, "We will look into order D40123 today.");
    let found = review
        .findings
        .iter()
        .find(|f| f.rule == "root_cause.ask")
        .expect("root_cause.ask fires");
    assert_eq!(found.suggestions, ["When did the parcel arrive?"]);
    assert!(
        found.message.contains("when it happened"),
        "{}",
        found.message
    );
    assert_eq!(review.checklist.clarifying_question.value, Some(false));

    let review = review_of(NO_OUTCOME, "We will look into order D40123 today.");
    let found = review
        .findings
        .iter()
        .find(|f| f.rule == "root_cause.ask")
        .expect("root_cause.ask fires");
    assert_eq!(
        found.suggestions,
        ["Would you prefer a refund or a replacement?"]
    );
}

#[test]
fn a_request_to_send_the_details_is_credited_as_asking() {
    let review = review_of(
        MISSING,
        "Please DM us your order number and we'll trace it.",
    );
    let check = &review.checklist.clarifying_question;
    assert_eq!(check.value, Some(true));
    assert_eq!(check.reason, "the draft asks for the order number");
    let review = review_of(MISSING, "Send us a DM so we can look into this.");
    let check = &review.checklist.clarifying_question;
    assert_eq!(check.value, Some(true));
    assert_eq!(
        check.reason,
        "the draft asks the customer to send the details"
    );
    assert!(review.findings.iter().all(|f| f.rule != "root_cause.ask"));
    // A customer with no problem and no request is missing nothing.
    let review = review_of(HAPPY, "Thanks so much for stopping by.");
    assert_eq!(review.checklist.clarifying_question.value, None);
}

#[test]
fn a_question_asking_for_a_missing_fact_is_credited_by_name() {
    let review = review_of(UNDATED, "When did the parcel arrive?");
    let check = &review.checklist.clarifying_question;
    assert_eq!(check.value, Some(true));
    assert_eq!(check.reason, "the draft asks for when it happened");
    let review = review_of(COMPLETE, "We will look into order D40123 today.");
    let check = &review.checklist.clarifying_question;
    assert_eq!(check.value, None);
    assert_eq!(check.reason, "no facts are missing");
}

/// The review of a reply `draft` after `conversation`.
fn review_of(conversation: &[(Role, &str)], draft: &str) -> Review {
    review(models(), &turns(conversation), draft, REPLY, &[])
}

#[test]
fn every_checklist_item_that_does_not_apply_says_why() {
    for (conversation, kind, marked, _) in GALLERY {
        let (draft, _) = strip_markers(marked);
        let review = review(models(), &turns(conversation), &draft, *kind, &[]);
        let list = &review.checklist;
        for check in [
            &list.acknowledged,
            &list.empathy,
            &list.clarifying_question,
            &list.options,
            &list.next_step,
            &list.timeline,
            &list.satisfaction_check,
            &list.boundary,
        ] {
            assert!(!check.reason.is_empty(), "{draft:?}: {check:?}");
        }
    }
}

#[test]
fn the_empathy_suggestion_is_fitted_to_the_customers_feeling() {
    let suggestion = |conversation: &[(Role, &str)]| {
        review(
            models(),
            &turns(conversation),
            "Order A10234 ships today.",
            REPLY,
            &[],
        )
        .findings
        .into_iter()
        .find(|f| f.rule == "empathy.reactions")
        .map(|f| f.suggestions)
    };
    assert_eq!(
        suggestion(DAMAGED),
        Some(vec!["I understand how frustrating this must be.".to_owned()])
    );
    assert_eq!(suggestion(CALM), None, "a calm customer is not pressed");
    assert_eq!(
        checks::fitted_empathy("worry"),
        Some("I can see why this is worrying, and I want to put your mind at rest.")
    );
}

#[test]
fn the_score_subtracts_findings_and_adds_checklist_credit() {
    let review = review(
        models(),
        &turns(CALM),
        "Calm down, the damn kettle from order A10234 is fine.",
        REPLY,
        &[],
    );
    let errors = review
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count() as i32;
    let warnings = review
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count() as i32;
    assert_eq!((errors, warnings), (1, 1));
    let credit = CHECK_CREDIT * review.checklist.credited() as i32;
    assert_eq!(
        i32::from(review.score),
        (100 - ERROR_COST * errors - WARNING_COST * warnings + credit).clamp(0, 100)
    );
    assert!(review.score < 70);
}

#[test]
fn a_note_leaves_the_reply_checklist_out() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "Customer is upset about the damage.",
        NOTE,
        &[],
    );
    assert_eq!(review.checklist.acknowledged.value, None);
    assert_eq!(review.checklist.timeline.value, None);
    assert!(!review.checklist.apology.needed);
    assert!(review.findings.is_empty(), "{:?}", review.findings);
}

#[test]
fn empathy_comes_from_the_models_as_three_probabilities() {
    let review = review(
        models(),
        &turns(DAMAGED),
        "I'm so sorry, that sounds really upsetting.",
        REPLY,
        &[],
    );
    for level in [
        &review.empathy.emotional_reactions,
        &review.empathy.interpretations,
        &review.empathy.explorations,
    ] {
        let sum: f32 = level.p.iter().sum();
        assert!((sum - 1.0).abs() < 1e-3, "{level:?} sums to one");
        assert!(level.level <= 2);
    }
    assert_eq!(review.empathy.emotional_reactions.level, 2);
}

#[test]
fn politeness_is_a_probability_with_its_strategy_markers_as_evidence() {
    let draft = "Thank you! Please bear with me. Could you send a photo? Perhaps the box is \
                 marked. Can you also check it? Why did it break?";
    let review = review(models(), &turns(CALM), draft, REPLY, &[]);
    assert!((0.0..=1.0).contains(&review.politeness));
    let found: Vec<(&str, &str)> = review
        .politeness_markers
        .iter()
        .map(|m| (m.strategy.as_str(), m.text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("gratitude", "Thank you"),
            ("please_start", "Please"),
            ("indirect_request", "Could you"),
            ("hedge", "Perhaps"),
            ("direct_request", "Can you"),
            ("direct_question", "Why"),
        ]
    );
    for marker in &review.politeness_markers {
        assert_eq!(&draft[marker.start..marker.end], marker.text);
    }
    let info: Vec<&str> = review.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(info.contains(&"politeness.direct_request"), "{info:?}");
    assert!(
        !info.contains(&"politeness.please"),
        "a politeness strategy is evidence, not a finding: {info:?}"
    );
}

#[test]
fn a_blunt_draft_has_fewer_politeness_markers_than_a_courteous_one() {
    let blunt = review(models(), &turns(CALM), "Send a photo.", REPLY, &[]);
    let courteous = review(
        models(),
        &turns(CALM),
        "Thanks so much! Could you please send a photo?",
        REPLY,
        &[],
    );
    assert!(blunt.politeness_markers.is_empty());
    assert_eq!(courteous.politeness_markers.len(), 3);
}

/// A pack with a conditional rule, a required phrase and a sequence rule.
const KINDS: &str = r#"
name = "kinds"
version = "1"

[[rules]]
id = "k.warranty"
kind = "conditional"
severity = "warning"
message = "Name the warranty's length."
phrases = ["warranty"]
requires = ["two years", "two-year"]
examples.match = ["It is under warranty."]
examples.no_match = ["It is under our two-year warranty.", "It is new."]

[[rules]]
id = "k.sign_off"
kind = "conditional"
severity = "info"
message = "Sign from the Care team."
requires = ["care team"]
examples.match = ["It ships today."]
examples.no_match = ["It ships today. The Care team"]

[[rules]]
id = "k.guarantee"
kind = "sequence"
severity = "warning"
message = "Do not guarantee a date."
sequence = [["guarantee"], ["arrive", "delivery"], ["today", "tomorrow"]]
examples.match = ["I guarantee it will arrive tomorrow."]
examples.no_match = ["It will arrive tomorrow, I guarantee.", "I guarantee it. It will arrive tomorrow."]
"#;

#[test]
fn conditional_and_sequence_rules_flag_the_right_spans() {
    let pack = parse_pack("kinds.toml", KINDS).expect("the pack parses");
    assert_eq!(test_pack(&pack), Vec::<ExampleFailure>::new());
    let spans = |draft: &str| -> Vec<(String, String)> {
        review(models(), &[], draft, REPLY, std::slice::from_ref(&pack))
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("k."))
            .map(|f| (f.rule.clone(), f.text.clone()))
            .collect()
    };
    assert_eq!(
        spans("The kettle has a warranty. I guarantee the delivery is tomorrow!"),
        [
            (
                "k.sign_off".to_owned(),
                "The kettle has a warranty.".to_owned()
            ),
            ("k.warranty".to_owned(), "warranty".to_owned()),
            (
                "k.guarantee".to_owned(),
                "guarantee the delivery is tomorrow".to_owned()
            ),
        ]
    );
    assert!(spans("A two-year warranty covers it. Care team").is_empty());
}

#[test]
fn conditional_and_sequence_rules_refuse_a_wrong_shape() {
    let pack = |body: &str| {
        parse_pack(
            "bad.toml",
            &format!("name = \"x\"\nversion = \"1\"\n\n[[rules]]\nid = \"z\"\n{body}"),
        )
    };
    let examples = "examples.match = [\"a\"]\nexamples.no_match = [\"b\"]\n";
    let error = pack(&format!(
        "kind = \"conditional\"\nseverity = \"info\"\nmessage = \"m\"\nphrases = [\"a\"]\n\
         {examples}"
    ))
    .expect_err("a conditional rule needs requires");
    assert_eq!((error.line, error.rule.as_deref()), (5, Some("z")));
    assert!(error.message.contains("requires"), "{error}");
    let error = pack(&format!(
        "kind = \"sequence\"\nseverity = \"info\"\nmessage = \"m\"\nsequence = [[\"a\"]]\n\
         {examples}"
    ))
    .expect_err("a sequence needs two steps");
    assert!(error.message.contains("two steps"), "{error}");
    let error = pack(&format!(
        "kind = \"existence\"\nseverity = \"info\"\nmessage = \"m\"\nphrases = [\"a\"]\n\
         requires = [\"b\"]\n{examples}"
    ))
    .expect_err("only a conditional rule has requires");
    assert!(error.message.contains("conditional"), "{error}");
}

/// The example company pack shipped with the project.
const EXAMPLE_PACK: &str = include_str!("../../../../packs/example-brand.toml");

#[test]
fn the_example_pack_passes_its_examples_and_uses_every_kind() {
    let pack = parse_pack("example-brand.toml", EXAMPLE_PACK).expect("the example pack parses");
    assert_eq!(test_pack(&pack), Vec::<ExampleFailure>::new());
    for kind in [
        RuleKind::Existence,
        RuleKind::Substitution,
        RuleKind::Occurrence,
        RuleKind::Conditional,
        RuleKind::Sequence,
        RuleKind::Conversation,
    ] {
        assert!(
            pack.rules.iter().any(|r| r.kind == kind && !r.disabled),
            "the example pack shows a {kind:?} rule"
        );
    }
    assert!(pack.rules.iter().any(|r| r.disabled));
    let draft = "No worries, customer service will fix it. I guarantee it will arrive tomorrow \
                 under our warranty. I will send a replacement jacket tomorrow, and I just \
                 actually basically checked it.";
    let review = review(models(), &[], draft, REPLY, &[pack]);
    let rules: Vec<&str> = review.findings.iter().map(|f| f.rule.as_str()).collect();
    for rule in [
        "brand.banned",
        "brand.terms",
        "brand.warranty_length",
        "brand.sign_off",
        "brand.date_guarantee",
    ] {
        assert!(rules.contains(&rule), "{rule} in {rules:?}");
    }
    let options = review
        .findings
        .iter()
        .find(|f| f.rule == "resolve.options")
        .expect("options are asked for");
    assert_eq!(options.severity, Severity::Warning);
    assert!(!rules.contains(&"tone.filler"), "{rules:?}");
    assert_eq!(
        review
            .packs
            .last()
            .map(|p| (p.name.as_str(), p.version.as_str())),
        Some(("northwind-brand", "2026.11"))
    );
}

/// A small company pack for the override tests.
const COMPANY: &str = r#"
name = "acme"
version = "2"

[[rules]]
id = "tone.sarcasm"
kind = "existence"
severity = "error"
message = "Acme never uses sarcasm."
phrases = ["oh great"]
examples.match = ["Oh great."]
examples.no_match = ["Great news."]

[[rules]]
id = "acme.competitor"
kind = "existence"
severity = "warning"
message = "Do not name a competitor."
phrases = ["globex"]
examples.match = ["Try Globex instead."]
examples.no_match = ["Try our outlet instead."]

[[rules]]
id = "blame.customer"
disabled = true
"#;

#[test]
fn a_company_pack_overrides_adds_and_disables_rules_by_id() {
    let pack = parse_pack("acme.toml", COMPANY).expect("the company pack parses");
    assert!(test_pack(&pack).is_empty());
    let review = review(
        models(),
        &turns(CALM),
        "Oh great, you should have tried Globex for order A10234. Could you send a photo?",
        REPLY,
        &[pack],
    );
    let rules: Vec<(&str, Severity)> = review
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("tone.sarcasm", Severity::Error),
            ("acme.competitor", Severity::Warning)
        ]
    );
    let names: Vec<&str> = review.packs.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["calmdesk-default", "acme"]);
}

#[test]
fn pack_errors_name_the_file_line_and_rule() {
    let broken = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"a\"\nkind = \n";
    let error = parse_pack("x.toml", broken).expect_err("broken TOML is refused");
    assert_eq!((error.file.as_str(), error.line), ("x.toml", 5));

    let unknown = "name = \"x\"\nversion = \"1\"\n\n[[rules]]\nid = \"b\"\nkind = \"fuzzy\"\n\
                   severity = \"info\"\nmessage = \"m\"\n";
    let error = parse_pack("x.toml", unknown).expect_err("an unknown kind is refused");
    assert_eq!((error.line, error.rule.as_deref()), (5, Some("b")));
    assert!(error.message.contains("fuzzy"), "{error}");

    let no_examples = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"c\"\n\
                       kind = \"existence\"\nseverity = \"info\"\nmessage = \"m\"\nphrases = [\"p\"]\n";
    let error = parse_pack("x.toml", no_examples).expect_err("a rule without examples is refused");
    assert!(error.message.contains("examples"), "{error}");

    let unknown_check = "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"d.nothing\"\n\
                         kind = \"conversation\"\nseverity = \"info\"\nmessage = \"m\"\n\
                         examples.match = [\"a\"]\nexamples.no_match = [\"b\"]\n";
    let error = parse_pack("x.toml", unknown_check).expect_err("an unknown check is refused");
    assert_eq!(error.rule.as_deref(), Some("d.nothing"));
}

#[test]
fn a_failing_example_is_reported() {
    let pack = parse_pack(
        "x.toml",
        "name = \"x\"\nversion = \"1\"\n[[rules]]\nid = \"e\"\nkind = \"existence\"\n\
         severity = \"info\"\nmessage = \"m\"\nphrases = [\"apple\"]\n\
         examples.match = [\"a pear\"]\nexamples.no_match = [\"an apple\"]\n",
    )
    .expect("the pack parses");
    assert_eq!(
        test_pack(&pack),
        [
            ExampleFailure {
                rule: "e".to_owned(),
                example: "a pear".to_owned(),
                should_match: true
            },
            ExampleFailure {
                rule: "e".to_owned(),
                example: "an apple".to_owned(),
                should_match: false
            }
        ]
    );
}

#[test]
fn spans_quote_the_draft_on_messy_input() {
    for draft in [
        "",
        "   ",
        "😡😡 WE CAN'T!!!",
        "é calm down é",
        "\u{0}sorry\u{feff} sorry",
    ] {
        let review = review(models(), &turns(ABUSIVE), draft, REPLY, &[]);
        for finding in &review.findings {
            assert_eq!(
                draft.get(finding.start..finding.end),
                Some(finding.text.as_str())
            );
        }
        assert!(review.score <= 100);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_draft_gets_a_review_whose_spans_quote_it(draft in "\\PC{0,80}", note in any::<bool>()) {
        let kind = if note { NOTE } else { REPLY };
        let review = review(models(), &turns(DAMAGED), &draft, kind, &[]);
        for finding in &review.findings {
            prop_assert_eq!(draft.get(finding.start..finding.end), Some(finding.text.as_str()));
        }
        prop_assert!(review.score <= 100);
    }
}

#[test]
fn turns_and_draft_kinds_read_from_json() {
    let turn: Turn =
        serde_json::from_str(r#"{"role": "customer", "text": "Hi"}"#).expect("a turn deserialises");
    assert_eq!(turn.role, Role::Customer);
    let kind: DraftKind = serde_json::from_str(r#""note""#).expect("a kind deserialises");
    assert_eq!(kind, NOTE);
}

#[test]
fn a_single_resolution_without_a_satisfaction_check_gets_info_hints() {
    let review = review(
        models(),
        &turns(CALM),
        "I will send a replacement kettle for order A10234 tomorrow.",
        REPLY,
        &[],
    );
    let rules: Vec<(&str, Severity)> = review
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("resolve.options", Severity::Info),
            ("resolve.satisfaction", Severity::Info)
        ]
    );
    assert_eq!(review.checklist.timeline.value, Some(true));
    assert_eq!(review.checklist.options.value, Some(false));
    assert_eq!(review.checklist.satisfaction_check.value, Some(false));
}

#[test]
fn giving_what_was_asked_needs_no_choice_and_a_result_to_wait_for_needs_a_time() {
    let review = review_of(
        REFUND_ASKED,
        "I'm sorry the kettle from order A10234 arrived broken. I've issued your refund today; \
         you'll see it within 3-5 business days. Does that work for you?",
    );
    assert_eq!(review.checklist.options.value, None);
    assert_eq!(
        review.checklist.options.reason,
        "the draft gives the resolution the customer asked for"
    );
    assert_eq!(review.checklist.timeline.value, Some(true));
    // Asked for a refund, offered a repair: a choice is still due.
    let other = review_of(
        REFUND_ASKED,
        "I'm sorry the kettle from order A10234 arrived broken. We can repair it this week. \
         Does that work for you?",
    );
    assert_eq!(other.checklist.options.value, Some(false));
    assert_eq!(
        checks::asked_resolutions(["I want my money back NOW", "or swap it"]),
        ["refund", "replacement"]
    );
    // "No refund" is not asking for one.
    assert!(
        checks::asked_resolutions(["I don't want a refund, just a replacement."])
            .iter()
            .all(|kind| *kind == "replacement")
    );
}
