"""The speaker's forms: a sign-in link, the proposal with the call's questions, a co-speaker."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.models import ANSWER_MAX_LENGTH, Proposal, Question, Review

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class SignInRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class CoSpeakerInviteForm(forms.Form):
    name = forms.CharField(label=_("Their name"), max_length=200)
    email = forms.EmailField(label=_("Their email address"), max_length=254)


def _question_field(question):
    common = {"label": question.text, "required": question.required}
    if question.kind == Question.Kind.LONG_TEXT:
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), max_length=ANSWER_MAX_LENGTH, **common
        )
    if question.kind == Question.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(o, o) for o in question.options]], **common)
    if question.kind == Question.Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    return forms.CharField(max_length=300, **common)


class ProposalForm(forms.ModelForm):
    """A proposal and the answers to the call's extra questions.

    A draft needs only its title; handing it in (``submitting``) needs every
    required field and answer.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = ["title", "abstract", "description", "session_type", "track", "notes"]
        labels = {
            "title": _("Title"),
            "abstract": _("Abstract"),
            "description": _("Description"),
            "session_type": _("Session type"),
            "track": _("Track"),
            "notes": _("Notes for the organisers"),
        }
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, call, submitting, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.questions = list(call.questions.all())
        self.fields["session_type"].queryset = call.session_types.all()
        self.fields["session_type"].empty_label = None
        self.fields["session_type"].required = True
        self.fields["track"].queryset = call.tracks.all()
        self.fields["track"].required = False
        if not call.tracks.exists():
            del self.fields["track"]
        for question in self.questions:
            self.fields[self.answer_field(question)] = _question_field(question)
            answer = self.instance.answers.get(str(question.pk))
            if answer is not None:
                self.initial[self.answer_field(question)] = answer
        if not submitting:
            for name, field in self.fields.items():
                field.required = name == "title"

    @staticmethod
    def answer_field(question):
        return f"question_{question.pk}"

    @property
    def answer_fields(self):
        return [self[self.answer_field(question)] for question in self.questions]

    @property
    def proposal_fields(self):
        return [self[name] for name in self.Meta.fields if name in self.fields]

    def clean(self):
        cleaned_data = super().clean()
        self.instance.answers = {
            str(question.pk): cleaned_data.get(self.answer_field(question), "")
            for question in self.questions
            if cleaned_data.get(self.answer_field(question), "") != ""
        }
        return cleaned_data


class ConfirmedProposalForm(forms.ModelForm):
    """What a speaker may still change once their talk is confirmed: its words, not its shape."""

    class Meta:
        model = Proposal
        fields = ["title", "abstract", "description"]
        labels = ProposalForm.Meta.labels
        widgets = ProposalForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "abstract"):
            self.fields[name].required = True

    @property
    def answer_fields(self):
        return []

    @property
    def proposal_fields(self):
        return [self[name] for name in self.Meta.fields]


class ReviewForm(forms.ModelForm):
    """A reviewer's scores, one per category of the call, and a comment."""

    class Meta:
        model = Review
        fields = ["comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        given = {}
        if self.instance.pk:
            given = {score.category_id: score.score for score in self.instance.scores.all()}
        for category in self.categories:
            field = forms.TypedChoiceField(
                label=f"{category.name} ({category.min_score}–{category.max_score})",
                choices=[(n, str(n)) for n in range(category.min_score, category.max_score + 1)],
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"score_{category.pk}"] = field
            if category.pk in given:
                self.initial[f"score_{category.pk}"] = given[category.pk]

    def scores(self):
        return {category: self.cleaned_data[f"score_{category.pk}"] for category in self.categories}
