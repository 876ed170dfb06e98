-- Version 5: changes whose blobs were missing from the repository (a partial
-- clone), so their renames could only be found when exact and their lines are unknown.
ALTER TABLE changes ADD COLUMN blob_missing INTEGER NOT NULL DEFAULT 0;
