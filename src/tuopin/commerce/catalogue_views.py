"""A supplier's own pages for its catalogue, made for a phone: add a product, edit it, its
photos, its listing on each outlet (price, from when, published) and its stock per warehouse.
Reads go through ``selectors.get_supplier_for``/``get_product_for`` (another supplier's
product is not found); every write through a service that checks its actor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuopin.accounts import permissions
from tuopin.accounts.selectors import acting_user
from tuopin.areas import selectors as areas
from tuopin.core.errors import DomainError
from tuopin.documents import evidence

from . import catalogue, photos, selectors, services
from .forms import ListingForm, ProductForm, StockForm
from .models import Product


def _refused(exc: DomainError) -> bool:
    """Whether a service's refusal is the page's to show (403 and 404 are not: they go on)."""
    return exc.status not in (403, 404)


@login_required
def product_new(request: HttpRequest, supplier_id: int) -> HttpResponse:
    """Add a product; its county of origin is the supplier's county."""
    s = selectors.get_supplier_for(request.user, supplier_id)
    by = acting_user(request)
    permissions.require(by, "commerce.add_product")
    form = ProductForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.create_product(supplier=s, **form.cleaned_data, by=by)
        except DomainError as exc:
            if not _refused(exc):
                raise
            form.add_error("sku" if exc.code == "duplicate_sku" else None, exc.message)
        else:
            messages.success(request, _("已添加商品：%(p)s") % {"p": p.name})
            return redirect("commerce:manage_product", product_id=p.pk)
    county = areas.areas_by_codes([s.county_code]).get(s.county_code)
    return render(request, "commerce/product_new.html", {"s": s, "form": form, "county": county})


def _edit(request: HttpRequest, p: Product) -> ProductForm:
    form = ProductForm(request.POST, creating=False)
    if form.is_valid():
        try:
            catalogue.update_product(product=p, **form.cleaned_data, by=acting_user(request))
        except DomainError as exc:
            if not _refused(exc):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存"))
    return form


def _listing(request: HttpRequest, p: Product, detail: dict) -> ListingForm | None:  # type: ignore[type-arg]
    outlet_id = request.POST.get("outlet", "")
    outlet = next((o for o, _li in detail["outlets"] if str(o.pk) == outlet_id), None)
    if outlet is None:
        messages.error(request, _("请选择渠道"))
        return None
    form = ListingForm(request.POST, prefix=f"o{outlet.pk}")
    if form.is_valid():
        try:
            services.publish_listing(
                product=p,
                outlet=outlet,
                price_fen=form.cleaned_data["price"],
                available_from=form.cleaned_data["available_from"],
                published=form.cleaned_data["published"],
                by=acting_user(request),
            )
        except DomainError as exc:
            if not _refused(exc):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                (_("已在%(o)s上架") if form.cleaned_data["published"] else _("已在%(o)s下架"))
                % {"o": outlet.name},
            )
    return form


def _stock(request: HttpRequest, p: Product) -> StockForm:
    form = StockForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        by = acting_user(request)
        try:
            if d["mode"] == StockForm.COUNT:
                services.set_stock(
                    product=p,
                    warehouse_name=d["warehouse"],
                    on_hand=d["quantity"],
                    reason=d["reason"],
                    by=by,
                )
            else:
                sign = -1 if d["mode"] == StockForm.REMOVE else 1
                services.adjust_stock(
                    product=p,
                    warehouse_name=d["warehouse"],
                    delta=sign * d["quantity"],
                    reason=d["reason"],
                    by=by,
                )
        except DomainError as exc:
            if not _refused(exc):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("库存已更新"))
    return form


def _photos(request: HttpRequest, p: Product, detail: dict) -> None:  # type: ignore[type-arg]
    by = acting_user(request)
    if request.POST.get("action") == "remove_photo":
        photo = next((x for x in detail["photos"] if str(x.pk) == request.POST.get("photo")), None)
        if photo is not None:
            catalogue.remove_product_photo(photo=photo, by=by)
            messages.success(request, _("已删除图片"))
        return
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, _("请选择或拍摄商品照片"))
    for upload in files:
        try:
            catalogue.add_product_photo(product=p, data=evidence.read_upload(upload), by=by)
        except DomainError as exc:
            if not _refused(exc):
                raise
            messages.error(request, f"{upload.name}：{exc.message}")
        else:
            messages.success(request, _("已添加图片：%(n)s") % {"n": upload.name})


@login_required
def manage_product(request: HttpRequest, product_id: int) -> HttpResponse:
    """One product for its supplier: edit, photos, listings per outlet, stock per warehouse.
    A POST names its ``action``; a refusal comes back beside its form, nothing half-written."""
    p = selectors.get_product_for(request.user, product_id)
    user = acting_user(request)
    detail = selectors.product_detail(p)
    edit_form: ProductForm | None = None
    stock_form: StockForm | None = None
    listing_forms: dict[int, ListingForm] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "edit":
            edit_form = _edit(request, p)
        elif action == "listing":
            form = _listing(request, p, detail)
            if form is not None:
                listing_forms[int(request.POST["outlet"])] = form
        elif action == "stock":
            stock_form = _stock(request, p)
        elif action in ("photo", "remove_photo"):
            _photos(request, p, detail)
        else:
            messages.error(request, _("未知的操作"))
        bound = [f for f in (edit_form, stock_form, *listing_forms.values()) if f is not None]
        if not any(f.errors for f in bound):
            return redirect("commerce:manage_product", product_id=p.pk)
        p = selectors.get_product_for(request.user, product_id)
        detail = selectors.product_detail(p)
    outlets = []
    for outlet, listing in detail["outlets"]:
        form = listing_forms.get(outlet.pk) or ListingForm(
            prefix=f"o{outlet.pk}",
            initial={
                "price": listing.price_fen if listing else None,
                "available_from": listing.available_from if listing else None,
                "published": listing.published if listing else True,
            },
        )
        outlets.append((outlet, listing, form))
    may_manage = services.may_manage(user, p.supplier)
    return render(
        request,
        "commerce/manage_product.html",
        {
            "p": p,
            "detail": detail,
            "outlets": outlets,
            "edit_form": edit_form
            or ProductForm(
                creating=False,
                initial={
                    f: getattr(p, f)
                    for f in ("name", "category", "unit", "weight_g", "grade_standard", "story")
                },
            ),
            "stock_form": stock_form
            or StockForm(
                initial={
                    "warehouse": detail["warehouses"][0] if detail["warehouses"] else _("主仓"),
                    "mode": StockForm.ADD,
                }
            ),
            "may_edit": may_manage and permissions.has(user, "commerce.change_product"),
            "may_list": may_manage and permissions.has(user, "commerce.add_listing"),
            "may_stock": may_manage and permissions.has(user, "commerce.change_stockrecord"),
            "max_photos": photos.MAX_PHOTOS,
        },
    )


def photo(request: HttpRequest, sha256: str) -> FileResponse:
    """A product photo (``?size=thumb``: the card's); public once its product is on sale."""
    found = selectors.product_photo_for(request.user, sha256)
    path = photos.path_of(found.sha256, thumb=request.GET.get("size") == "thumb")
    if not path.exists():
        path = photos.path_of(found.sha256)
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "max-age=86400"
    return response
