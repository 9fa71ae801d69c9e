"""Writes for events, one module per responsibility (import the module you need; nothing is re-exported here):

- common: the event and registration row locks, the guarded status move, the organizer guard;
- creation: the events section and creating an event with its tickets;
- registrations: registering, approving, rejecting and cancelling;
- waitlist: the first status of a registration and filling freed seats from the waiting list;
- refunds: how much goes back on a cancellation, and handing the refund to payments;
- checkout: paying for a seat (Stripe Checkout and its webhook, seen from the registration);
- checkins: checking participants in by QR code or short code;
- meeting_preferences: meeting requests and declines between registered organizations;
- schedule_generation: generating the 1:1 meeting schedule (in the worker);
- schedule_edits: hand-placing, moving and cancelling meetings, publishing the agendas.

Concurrency: every write that changes who holds a seat first locks the event row (common.lock_event), then
counts seats inside that lock; so parallel registrations serialise per event and capacity is never
oversold. Payments lock the event row first too (same lock order).
"""
