"""Repositories: one per aggregate, every query scoped to one workspace."""

from storage.repositories.audit import AuditRepository
from storage.repositories.enrollments import EnrollmentRepository
from storage.repositories.feedback import FeedbackAnswer, FeedbackRepository
from storage.repositories.mentorships import MentorshipRepository, NewMentorship
from storage.repositories.outbox import OutboxRepository
from storage.repositories.people import PeopleRepository, Profile
from storage.repositories.programs import ProgramRepository, ProgramSpec
from storage.repositories.rounds import RoundRepository
from storage.repositories.routes import RoutesRepository
from storage.repositories.workspaces import WorkspaceRepository

__all__ = [
    "AuditRepository",
    "EnrollmentRepository",
    "FeedbackAnswer",
    "FeedbackRepository",
    "MentorshipRepository",
    "NewMentorship",
    "OutboxRepository",
    "PeopleRepository",
    "Profile",
    "ProgramRepository",
    "ProgramSpec",
    "RoundRepository",
    "RoutesRepository",
    "WorkspaceRepository",
]
