-- The reviewer's queue (GET .../next) in the order it is served: open assignments by position,
-- then record id. With this index the next record is the first index entry, whatever the length of
-- the queue; with assignments_queue alone every open assignment of the reviewer is joined and
-- sorted on each request.
CREATE INDEX assignments_open_queue ON assignments (review_id, stage, reviewer_id, position, record_id)
  WHERE state = 'open';
