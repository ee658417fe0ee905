-- How long the retrain that saved each model took (training, saving and reordering every queue,
-- in ms of wall time): the next retrain waits until the model is ten times that old, so that with
-- many people voting at once retraining takes about a tenth of the time at most. NULL: not known
-- (a model saved before this, or a retrain that stopped before recording it), no wait.
ALTER TABLE prioritisation_models ADD COLUMN busy_ms integer;
