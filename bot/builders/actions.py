"""Ids of the buttons these builders put in messages; the platform adapters route on them."""

from __future__ import annotations

OPEN_SIGNUP = "mentor_open_signup"  # value: a program id, or "" for the default
PAUSE = "mentor_pause"  # value: a program id, or "" for every program
RESUME = "mentor_resume"  # value: as above
LEAVE = "mentor_leave"  # asks to confirm; value: as above
LEAVE_CONFIRM = "mentor_leave_confirm"  # value: as above
LEAVE_CANCEL = "mentor_leave_cancel"
NEW_PROGRAM = "mentor_program_new"
EDIT_PROGRAM = "mentor_program_edit"  # value: a program id
OPEN_DASHBOARD = "mentor_open_dashboard"  # a link button: the browser opens it, we only ack

ALL = "all"
