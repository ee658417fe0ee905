-- Prioritisation retrains on settled labels (issue 14): each model records which settled labels it
-- was trained on (labels_key, an md5 over the settled records and their labels), so a retrain on the
-- same labels as the latest model is skipped. basis_seq (the highest vote id when it trained) no
-- longer identifies a model: the same votes can settle into different labels once reconciled.
ALTER TABLE prioritisation_models ADD COLUMN labels_key text;
ALTER TABLE prioritisation_models DROP CONSTRAINT prioritisation_models_review_id_stage_basis_seq_key;
